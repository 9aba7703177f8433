# Shared by run.sh and ab.sh (sourced): CPU per thread group of a process, from /proc.
# thread_ticks PID prints "group<TAB>ticks" lines, a group being a thread's name without its running number
# (reactor-http-epoll, redisson-netty, GC Thread, C2 CompilerThread, ...), to tell the gateway's own threads from
# GC, JIT and (all-in-one) the control plane's. The name (comm) is read from the field in parentheses, which may
# contain spaces.
thread_ticks() {
  for f in /proc/"$1"/task/*/stat; do cat "$f" 2> /dev/null; echo; done | awk 'NF {
    op = index($0, "("); cl = 0
    for (i = length($0); i > 0; i--) if (substr($0, i, 1) == ")") { cl = i; break }
    name = substr($0, op + 1, cl - op - 1); rest = substr($0, cl + 2)
    split(rest, f, " "); gsub(/[-#_ ]*[0-9]+$/, "", name); gsub(/[-#_ ]*[0-9]+$/, "", name)
    t[name] += f[12] + f[13] }
    END { for (n in t) printf "%s\t%d\n", n, t[n] }'
}
