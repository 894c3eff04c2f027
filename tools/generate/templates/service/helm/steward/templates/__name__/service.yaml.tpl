{{- include "steward.serviceResource" (list $ "{{name}}") }}
