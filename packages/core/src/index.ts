// The shared core of the model-cicd actions. Import areas by subpath (`@model-cicd/core/stats`,
// `@model-cicd/core/action`, ...) so each action's bundle carries only what it uses.
export * as action from './action/index.ts';
