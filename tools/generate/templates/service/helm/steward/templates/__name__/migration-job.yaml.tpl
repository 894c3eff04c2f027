{{- include "steward.migrationJob" (list $ "{{name}}") }}
