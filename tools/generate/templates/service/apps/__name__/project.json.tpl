{
  "$schema": "../../node_modules/nx/schemas/project-schema.json",
  "name": "{{name}}",
  "sourceRoot": "apps/{{name}}/src",
  "projectType": "application",
  "tags": ["type:app", "scope:{{name}}"],
  "targets": {
    "lint": { "executor": "nx:run-commands", "options": { "command": "eslint apps/{{name}}" } },
    "test": { "executor": "nx:run-commands", "options": { "command": "jest apps/{{name}}" } },
    "migrate": { "executor": "nx:run-commands", "options": { "command": "npm run migrate -- {{name}}" } },
    "serve": { "executor": "nx:run-commands", "options": { "command": "npm run build && node dist/apps/{{name}}/src/main.js" } }
  }
}
