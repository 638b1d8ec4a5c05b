// For the repository-wide `tsc`, which does not read SFCs; `vue-tsc -p ui/tsconfig.json` checks them.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
declare module '*.css';
