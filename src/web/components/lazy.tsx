/** A page loaded on first use (its own chunk): the phone's form never downloads the convener's charts. */
import type { ComponentType } from 'preact';
import { useLoad, Loading } from './load.js';

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>) {
  let cached: ComponentType<P> | null = null;
  return function LazyPage(props: P) {
    const loaded = useLoad(async () => (cached ??= await load()), []);
    return <Loading loaded={loaded}>{(Page) => <Page {...props} />}</Loading>;
  };
}
