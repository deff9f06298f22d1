// One JVM for every veraPDF check of a test run: it reads a PDF path and a flavour ("3u", "ua1")
// per line on stdin, and answers each with one JSON line of what veraPDF's own validator found.
// The JVM's start and veraPDF's profile loading (seconds) are paid once, not once per check.
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.util.Map;
import java.util.TreeMap;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class VerapdfService {
  public static void main(String[] args) throws Exception {
    VeraGreenfieldFoundryProvider.initialise();
    BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    System.out.println("{\"ready\":true}");
    System.out.flush();
    for (String line = requests.readLine(); line != null; line = requests.readLine()) {
      String[] request = line.split("\t", 2);
      System.out.println(check(request[1], request[0]));
      System.out.flush();
    }
  }

  static String check(String file, String flavourName) {
    PDFAFlavour flavour = PDFAFlavour.fromString(flavourName);
    try (InputStream input = new FileInputStream(file);
        PDFAParser parser = Foundries.defaultInstance().createParser(input, flavour);
        PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
      ValidationResult result = validator.validate(parser);
      Map<String, String> failed = new TreeMap<>();
      for (TestAssertion assertion : result.getTestAssertions()) {
        if (assertion.getStatus() != TestAssertion.Status.FAILED) continue;
        String rule = assertion.getRuleId().getClause() + "-" + assertion.getRuleId().getTestNumber();
        failed.putIfAbsent(rule, assertion.getMessage());
      }
      StringBuilder json = new StringBuilder("{\"compliant\":").append(result.isCompliant()).append(",\"failed\":{");
      String separator = "";
      for (Map.Entry<String, String> entry : failed.entrySet()) {
        json.append(separator).append(quote(entry.getKey())).append(':').append(quote(entry.getValue()));
        separator = ",";
      }
      return json.append("}}").toString();
    } catch (Exception error) {
      return "{\"error\":" + quote(String.valueOf(error)) + "}";
    }
  }

  static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : (text == null ? "" : text).toCharArray()) {
      if (c == '"' || c == '\\') quoted.append('\\').append(c);
      else if (c < 0x20) quoted.append(String.format("\\u%04x", (int) c));
      else quoted.append(c);
    }
    return quoted.append('"').toString();
  }
}
