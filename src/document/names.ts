import path from 'node:path';

export const MARKDOWN_EXTENSIONS = ['.md', '.markdown'];

/** The name a document's outputs take: its file name without the extension; a book's, its folder's name. */
export function documentName(sourcePath: string): string {
  const extension = path.extname(sourcePath);
  return MARKDOWN_EXTENSIONS.includes(extension.toLowerCase())
    ? path.basename(sourcePath, extension)
    : path.basename(path.resolve(sourcePath));
}
