{{/* Names and labels. */}}
{{- define "steward.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "steward.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* `<fullname>-<component>`, e.g. steward-accounts. Args: (list $ "accounts"). */}}
{{- define "steward.componentName" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "steward.fullname" $root | trunc 50 | trimSuffix "-") (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "steward.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "steward.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "steward.labels" -}}
{{- $root := index . 0 -}}
{{ include "steward.selectorLabels" . }}
app.kubernetes.io/part-of: steward
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{- with $root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selects every pod of the release (NetworkPolicy peers). */}}
{{- define "steward.releasePodSelector" -}}
app.kubernetes.io/name: {{ include "steward.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "steward.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
A service's settings: serviceDefaults deep-merged with services.<name>, as YAML.
Use: $svc := include "steward.service" (list $ "accounts") | fromYaml
*/}}
{{- define "steward.service" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- $own := index $root.Values.services $name | default dict -}}
{{- $merged := mustMergeOverwrite (deepCopy $root.Values.serviceDefaults) (deepCopy $own) -}}
{{- $_ := set $merged "name" $name -}}
{{- $_ := set $merged "isGateway" (eq $name "gateway") -}}
{{- /* Every service answers /healthz, /readyz and /metrics on its opsPort; the gateway serves its API on `port` besides. */ -}}
{{- if eq $name "gateway" -}}
{{- $_ := set $merged "port" ($merged.port | default 3000) -}}
{{- $_ := set $merged "opsPort" ($merged.opsPort | default 9100) -}}
{{- else -}}
{{- $_ := set $merged "opsPort" ($merged.opsPort | default 0) -}}
{{- end -}}
{{- toYaml $merged -}}
{{- end -}}

{{/* The enabled services' names, sorted, as a JSON list. */}}
{{- define "steward.enabledServices" -}}
{{- $names := list -}}
{{- range $name, $_ := .Values.services -}}
{{- $svc := include "steward.service" (list $ $name) | fromYaml -}}
{{- if $svc.enabled -}}{{- $names = append $names $name -}}{{- end -}}
{{- end -}}
{{- toJson (sortAlpha $names) -}}
{{- end -}}

{{/* `accounts` -> `ACCOUNTS` (the prefix of a service's own variables). */}}
{{- define "steward.envPrefix" -}}
{{- regexReplaceAll "[^A-Z0-9]+" (upper .) "_" -}}
{{- end -}}

{{/* Secret names. */}}
{{- define "steward.platformSecret" -}}
{{- .Values.secrets.existingSecret | default (include "steward.componentName" (list . "platform")) -}}
{{- end -}}
{{- define "steward.natsSecret" -}}
{{- .Values.nats.credentials.existingSecret | default (include "steward.componentName" (list . "nats-credentials")) -}}
{{- end -}}
{{- define "steward.dbSecret" -}}
{{- .Values.postgresql.logins.existingSecret | default (include "steward.componentName" (list . "db")) -}}
{{- end -}}
{{/* The chart generates login roles and their passwords (and the migration Job provisions them). */}}
{{- define "steward.provisionLogins" -}}
{{- if not .Values.postgresql.logins.existingSecret -}}true{{- end -}}
{{- end -}}

{{/*
A value of a Secret the chart generates: the one already in the cluster (kept across
upgrades), else a new random one. Args: (list $ secretName key length).
*/}}
{{- define "steward.keptOrRandom" -}}
{{- $root := index . 0 -}}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace (index . 1) -}}
{{- $data := dig "data" dict ($existing | default dict) -}}
{{- if hasKey $data (index . 2) -}}
{{- index $data (index . 2) | b64dec -}}
{{- else -}}
{{- randAlphaNum (index . 3) -}}
{{- end -}}
{{- end -}}

{{/* PostgreSQL address and the migrator URL source. */}}
{{- define "steward.pgHost" -}}
{{- if .Values.postgresql.bundled.enabled -}}{{ include "steward.componentName" (list . "postgresql") }}{{- else -}}{{ .Values.postgresql.external.host }}{{- end -}}
{{- end -}}
{{- define "steward.pgPort" -}}
{{- if .Values.postgresql.bundled.enabled -}}5432{{- else -}}{{ .Values.postgresql.external.port }}{{- end -}}
{{- end -}}
{{- define "steward.pgDatabase" -}}
{{- if .Values.postgresql.bundled.enabled -}}steward{{- else -}}{{ .Values.postgresql.external.database }}{{- end -}}
{{- end -}}
{{- define "steward.pgSslmode" -}}
{{- if .Values.postgresql.bundled.enabled -}}disable{{- else -}}{{ .Values.postgresql.external.sslmode }}{{- end -}}
{{- end -}}
{{/* EnvVar of the migrator (owner) URL. */}}
{{- define "steward.migratorUrlEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
{{- if .Values.postgresql.bundled.enabled }}
      name: {{ include "steward.componentName" (list . "db") }}
      key: migrator
{{- else }}
      name: {{ .Values.postgresql.external.migratorSecret.name }}
      key: {{ .Values.postgresql.external.migratorSecret.key }}
{{- end }}
{{- end -}}

{{- define "steward.natsUrl" -}}
{{- if .Values.nats.bundled.enabled -}}
{{- printf "nats://%s:4222" (include "steward.componentName" (list . "nats")) -}}
{{- else -}}
{{- .Values.nats.external.url -}}
{{- end -}}
{{- end -}}

{{/* The environment of one service's container. Args: (list $ $svc). */}}
{{- define "steward.serviceEnv" -}}
{{- $root := index . 0 -}}
{{- $svc := index . 1 -}}
- name: LOG_LEVEL
  value: {{ $root.Values.platform.logLevel | quote }}
- name: NATS_URL
  value: {{ include "steward.natsUrl" $root | quote }}
- name: STEWARD_NATS_PREFIX
  value: {{ $root.Values.platform.natsPrefix | quote }}
- name: STEWARD_STREAM_REPLICAS
  value: {{ $root.Values.platform.streamReplicas | quote }}
- name: STEWARD_CONTEXT_MAX_AGE_SECONDS
  value: {{ $root.Values.platform.contextMaxAgeSeconds | quote }}
- name: DB_POOL_MAX
  value: {{ $root.Values.platform.dbPoolMax | quote }}
- name: DB_PREPARED_STATEMENTS
  value: {{ $root.Values.platform.dbPreparedStatements | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ $svc.name | quote }}
- name: OTEL_TRACES_EXPORTER
  value: {{ $root.Values.otel.tracesExporter | quote }}
{{- with $root.Values.otel.endpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with $root.Values.otel.resourceAttributes }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ . | quote }}
{{- end }}
- name: OPS_PORT
  value: {{ $svc.opsPort | quote }}
- name: OPS_HOST
  value: "0.0.0.0"
- name: STEWARD_CURSOR_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.platformSecret" $root }}
      key: cursor-key
{{- if $svc.isGateway }}
- name: PORT
  value: {{ $svc.port | quote }}
- name: HOST
  value: "0.0.0.0"
- name: STEWARD_JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.platformSecret" $root }}
      key: jwt-secret
- name: STEWARD_OPERATOR_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.platformSecret" $root }}
      key: operator-token
      optional: true
{{- include "steward.gatewayEnv" $root }}
{{- end }}
- name: STEWARD_CONTEXT_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.platformSecret" $root }}
      key: context-key
- name: STEWARD_CONTEXT_KEY_PREVIOUS
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.platformSecret" $root }}
      key: context-key-previous
      optional: true
- name: NATS_USER
  value: {{ $svc.name | quote }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.natsSecret" $root }}
      key: {{ $svc.name }}
{{- if $root.Values.nats.tls.existingSecret }}
- name: NATS_TLS_CA
  value: /etc/steward/nats-tls/ca.crt
{{- if $root.Values.nats.tls.clientCertificate }}
- name: NATS_TLS_CERT
  value: /etc/steward/nats-tls/tls.crt
- name: NATS_TLS_KEY
  value: /etc/steward/nats-tls/tls.key
{{- end }}
{{- end }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.dbSecret" $root }}
      key: {{ $svc.name }}
{{- range $k, $v := $root.Values.platform.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- range $k, $v := $svc.env }}
- name: {{ $k }}
  value: {{ $v | quote }}
{{- end }}
{{- with $svc.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The gateway's own settings from `gateway` (CORS, webhooks): apps/gateway/src/config.ts and
webhooks/webhooks.settings.ts. Numbers go through int64: Helm reads YAML numbers as floats
and would print 259200000 as 2.592e+08.
*/}}
{{- define "steward.gatewayEnv" -}}
{{- $cors := .Values.gateway.cors -}}
{{- $w := .Values.gateway.webhooks }}
- name: STEWARD_CORS_ORIGINS
  value: {{ join "," $cors.origins | quote }}
- name: STEWARD_CORS_MAX_AGE_SECONDS
  value: {{ int64 $cors.maxAgeSeconds | quote }}
- name: STEWARD_WEBHOOKS_ALLOW_PRIVATE
  value: {{ ternary (join "," $w.allowPrivate) (toString $w.allowPrivate) (kindIs "slice" $w.allowPrivate) | quote }}
- name: STEWARD_WEBHOOKS_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.platformSecret" . }}
      key: webhooks-secret-key
      optional: true
- name: STEWARD_WEBHOOKS_SECRET_KEY_PREVIOUS
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.platformSecret" . }}
      key: webhooks-secret-key-previous
      optional: true
- name: WEBHOOKS_TIMEOUT_MS
  value: {{ int64 $w.timeoutMs | quote }}
- name: WEBHOOKS_MAX_RESPONSE_BYTES
  value: {{ int64 $w.maxResponseBytes | quote }}
- name: WEBHOOKS_CONCURRENCY
  value: {{ int64 $w.concurrency | quote }}
- name: WEBHOOKS_POLL_MS
  value: {{ int64 $w.pollMs | quote }}
- name: WEBHOOKS_LEASE_MS
  value: {{ int64 $w.leaseMs | quote }}
- name: WEBHOOKS_RETRY_BASE_MS
  value: {{ int64 $w.retry.baseMs | quote }}
- name: WEBHOOKS_RETRY_MAX_DELAY_MS
  value: {{ int64 $w.retry.maxDelayMs | quote }}
- name: WEBHOOKS_RETRY_WINDOW_MS
  value: {{ int64 $w.retry.windowMs | quote }}
- name: WEBHOOKS_DISABLE_AFTER_FAILURES
  value: {{ int64 $w.disableAfterFailures | quote }}
- name: WEBHOOKS_DISABLE_AFTER_MS
  value: {{ int64 $w.disableAfterMs | quote }}
- name: WEBHOOKS_SECRET_OVERLAP_SECONDS
  value: {{ int64 $w.secretOverlapSeconds | quote }}
- name: WEBHOOKS_RETENTION_DAYS
  value: {{ int64 $w.retentionDays | quote }}
{{- end -}}

{{/* Pod-level settings shared by Deployments, Jobs and the trial StatefulSets. */}}
{{- define "steward.podSecurity" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* `accounts` -> `ACCOUNTS_NATS_PASSWORD`: the variable a NATS server reads a client's password from. */}}
{{- define "steward.natsPasswordVar" -}}
{{- printf "%s_NATS_PASSWORD" (include "steward.envPrefix" .) -}}
{{- end -}}

{{/*
The NATS `authorization` block: one user per client with its least-privilege permissions
(files/nats-permissions.json, generated from libs/contracts nats-access.ts by
`npm run chart:sync`); passwords are read from the server's environment.
*/}}
{{- define "steward.natsAuthorization" -}}
{{- $perms := .Files.Get "files/nats-permissions.json" | fromJson -}}
authorization {
  users = [
{{- range (include "steward.enabledServices" . | fromJsonArray) }}
{{- $p := index $perms . }}
    {
      user: {{ . | quote }}
      password: ${{ include "steward.natsPasswordVar" . }}
      permissions: {
        publish: { allow: {{ include "steward.natsList" $p.publish.allow }}{{ if $p.publish.deny }}, deny: {{ include "steward.natsList" $p.publish.deny }}{{ end }} }
        subscribe: { allow: {{ include "steward.natsList" $p.subscribe.allow }}{{ if $p.subscribe.deny }}, deny: {{ include "steward.natsList" $p.subscribe.deny }}{{ end }} }
        {{- if $p.allowResponses }}
        allow_responses: true
        {{- end }}
      }
    }
{{- end }}
  ]
}
{{- end -}}

{{/* A list of subjects in NATS configuration syntax: ["a.>", "b.>"] (toJson would escape `>`). */}}
{{- define "steward.natsList" -}}
[{{ range $i, $s := . }}{{ if $i }}, {{ end }}"{{ $s }}"{{ end }}]
{{- end -}}

{{/* The NATS server's environment: every client's password from the credentials Secret. */}}
{{- define "steward.natsPasswordEnv" -}}
{{- range (include "steward.enabledServices" . | fromJsonArray) }}
- name: {{ include "steward.natsPasswordVar" . }}
  valueFrom:
    secretKeyRef:
      name: {{ include "steward.natsSecret" $ }}
      key: {{ . }}
{{- end }}
{{- end -}}
