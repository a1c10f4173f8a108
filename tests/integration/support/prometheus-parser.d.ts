/** The parser ships no types: the one function the tests use. */
declare module 'parse-prometheus-text-format' {
  export default function parse(text: string): unknown[];
}
