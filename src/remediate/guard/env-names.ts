// Environment variables that change what a process loads or trusts rather than what it
// is configured to do: restoring one is code injection or traffic interception, never a fix.

const EXACT = new Set([
  'PATH', 'NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_REPL_EXTERNAL_MODULE',
  'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'JAVA_OPTS', 'CLASSPATH',
  'PYTHONPATH', 'PYTHONSTARTUP', 'PYTHONHOME', 'PYTHONINSPECT', 'PYTHONUSERBASE', 'PYTHONWARNINGS', 'PYTHONBREAKPOINT',
  'PERL5LIB', 'PERL5OPT', 'PERLLIB', 'RUBYOPT', 'RUBYLIB', 'GEM_PATH', 'GEM_HOME', 'PHPRC', 'PHP_INI_SCAN_DIR',
  'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'IFS', 'CDPATH', 'HOME', 'SHELL',
  'GCONV_PATH', 'GLIBC_TUNABLES', 'HOSTALIASES', 'LOCPATH', 'NLSPATH', 'RESOLV_HOST_CONF', 'TMPDIR',
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'GIT_SSL_NO_VERIFY', 'GIT_SSH_COMMAND', 'GIT_EXEC_PATH',
  'DOTNET_STARTUP_HOOKS', 'DOTNET_ADDITIONAL_DEPS', 'COR_ENABLE_PROFILING', 'COR_PROFILER', 'COR_PROFILER_PATH',
  'CORECLR_ENABLE_PROFILING', 'CORECLR_PROFILER', 'CORECLR_PROFILER_PATH', 'GODEBUG', 'GOFLAGS',
  'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'KUBECONFIG', 'AWS_CA_BUNDLE',
]);
const PREFIXES = ['LD_', 'DYLD_', 'MALLOC_', 'GIT_CONFIG', 'BASH_FUNC_'];
const SUFFIXES = ['_PROXY'];

/** True for a name the guard never lets an action set (compared case-insensitively: http_proxy counts). */
export function isInjectionVector(name: string): boolean {
  const upper = name.toUpperCase();
  return EXACT.has(upper) || PREFIXES.some((p) => upper.startsWith(p)) || SUFFIXES.some((s) => upper.endsWith(s));
}
