{{- include "steward.hpa" (list $ "{{name}}") }}
