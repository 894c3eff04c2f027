{{- include "steward.serviceAccount" (list $ "{{name}}") }}
