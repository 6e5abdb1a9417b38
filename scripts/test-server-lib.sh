# Shared by the throwaway test-server scripts (pg-test-server.sh, mariadb-test-server.sh):
# sourced, not run. The caller defines die().

# A random loopback port nobody listens on (a refused connection means it is free).
random_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free port found"
}
