// One JVM for every EPUBCheck run of a test run: it reads an EPUB path per line on stdin, runs
// EPUBCheck's own command line on it (writing its JSON report to a file), and answers with one
// line naming that file and the exit code. EPUBCheck's first check costs about 6 s (its schemas
// and Saxon warming up); the ones after take well under a second.
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;

public class EpubcheckService {
  public static void main(String[] args) throws Exception {
    BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    System.out.println("ready");
    System.out.flush();
    for (String line = requests.readLine(); line != null; line = requests.readLine()) {
      String[] request = line.split("\t", 2);
      int code = new EpubChecker().run(new String[] {request[0], "--json", request[1], "--quiet"});
      System.out.println("done\t" + code);
      System.out.flush();
    }
  }
}
