/** markdown-it-texmath ships no types: it is a markdown-it plugin taking its options. */
declare module 'markdown-it-texmath' {
  import type { PluginWithOptions } from 'markdown-it';
  const texmath: PluginWithOptions<{ engine: { renderToString(tex: string, options: object): string }; delimiters: string[] }>;
  export default texmath;
}
