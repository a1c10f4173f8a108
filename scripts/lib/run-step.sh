# run_step NAME COMMAND...: runs one step of a test run and, when it fails, keeps going and
# remembers its name in FAILED_STEPS, so the closing summary lists every failed step.
# The caller defines `log` and sets FAILED_STEPS=() first.
run_step() {
  local name=$1
  shift
  log "$name"
  if "$@"; then return 0; fi
  log "$name FAILED"
  FAILED_STEPS+=("$name")
}
