/** Vite bundles the imported stylesheet into a hashed .css file. */
declare module '*.css';
