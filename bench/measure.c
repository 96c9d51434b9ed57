/* Runs one command with its output discarded and writes what the kernel accounted to it:
 * `measure RESULT-FILE COMMAND [ARGS...]` writes "STATUS CPU-MICROSECONDS PEAK-KB\n".
 *
 * mktopo-bench measures whole processes through this small program rather than spawning
 * them itself: Linux carries a process's peak memory across exec, and a child spawned by
 * the benchmark (tens of megabytes resident) would report at least the benchmark's own
 * peak. A child forked from this program starts from a few hundred kilobytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) return 2;
  pid_t pid = fork();
  if (pid < 0) return 2;
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null < 0) _exit(127);
    dup2(null, 1);
    dup2(null, 2);
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  int status = 0;
  struct rusage usage;
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) return 2;
  }
  long long cpu = (long long)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000
                  + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE *result = fopen(argv[1], "w");
  if (!result) return 2;
  fprintf(result, "%d %lld %ld\n", code, cpu, usage.ru_maxrss);
  return fclose(result) == 0 ? 0 : 2;
}
