import { entryScripts, staticImports } from './budget';

describe('what the budget counts as initial JavaScript', () => {
  it('follows static imports and re-exports, not dynamic import()', () => {
    const src = 'import{a as b}from"./rt-1.js";import"./side.js";export{c}from"../x/y.js";const p=()=>import("./Page-2.js");';
    expect(staticImports(src).sort()).toEqual(['../x/y.js', './rt-1.js', './side.js']);
  });

  it('starts from the module entry and the modulepreloads of index.html, not stylesheets', () => {
    const html = '<script type="module" crossorigin src="/assets/index-1.js"></script><link rel="modulepreload" crossorigin href="/assets/rt.js"><link rel="stylesheet" href="/assets/i.css">';
    expect(entryScripts(html)).toEqual(['/assets/index-1.js', '/assets/rt.js']);
  });
});
