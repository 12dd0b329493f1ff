/**
 * The built modules in dist/ (the runner builds them first), as users import them: the bench
 * itself runs under tsx, whose transform wraps every function in a naming helper that would
 * slow the hot loops and flatter no one.
 */
export async function fromDist<T>(path: string): Promise<T> {
  return (await import(new URL(`../../dist/${path}`, import.meta.url).href)) as T;
}
