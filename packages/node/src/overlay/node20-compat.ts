/**
 * libp2p 3 and its dependencies (yamux, @libp2p/utils, it-queue, mortice, abort-error) call
 * Promise.withResolvers, which is ES2024 and only built into Node >= 22; the project supports Node 20.
 * It is the only post-Node-20 API they use (checked by grepping their dist/ on install), and its
 * specified behaviour is three lines, so it is installed here, once, before libp2p runs. A no-op on
 * Node >= 22. See docs/overlay.md.
 */
interface WithResolvers {
  withResolvers?: <T>() => {
    promise: Promise<T>;
    resolve: (value: T | PromiseLike<T>) => void;
    reject: (reason?: unknown) => void;
  };
}

const P = Promise as unknown as WithResolvers;
if (typeof P.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      // `this` keeps subclass semantics (Promise.withResolvers.call(MyPromise)), as the spec requires.
      const Ctor = (this ?? Promise) as PromiseConstructor;
      const promise = new Ctor<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
