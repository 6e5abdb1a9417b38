#include "cli/interrupt_watcher.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "engine/error.hpp"

namespace pond::cli {
namespace {

std::atomic<int> g_signal_pipe{-1};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free atomic");

extern "C" void on_sigint(int) {
  const int saved_errno = errno;
  const int fd = g_signal_pipe.load();
  const char byte = 'i';
  if (fd >= 0 && write(fd, &byte, 1) < 0) {
    // Pipe full: an interrupt is already pending, nothing to add.
  }
  errno = saved_errno;
}

}  // namespace

InterruptWatcher::InterruptWatcher(std::function<void()> on_interrupt) : on_interrupt_(std::move(on_interrupt)) {
  if (pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0)
    throw Error(ErrorKind::internal, std::string("cannot create the interrupt pipe: ") + std::strerror(errno));
  int expected = -1;
  if (!g_signal_pipe.compare_exchange_strong(expected, pipe_[1])) {
    close(pipe_[0]);
    close(pipe_[1]);
    throw Error(ErrorKind::internal, "only one InterruptWatcher may exist at a time");
  }
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking read in the shell sees EINTR and looks again
  sigaction(SIGINT, &action, &previous_);
  thread_ = std::jthread([this](std::stop_token stop) { watch(std::move(stop)); });
}

InterruptWatcher::~InterruptWatcher() {
  sigaction(SIGINT, &previous_, nullptr);
  g_signal_pipe.store(-1);
  thread_.request_stop();
  const char byte = 's';
  if (write(pipe_[1], &byte, 1) < 0) {
    // The pipe is full of unread interrupts; the thread wakes up anyway.
  }
  thread_.join();
  close(pipe_[0]);
  close(pipe_[1]);
}

void InterruptWatcher::watch(std::stop_token stop) {
  pollfd fd{pipe_[0], POLLIN, 0};
  while (!stop.stop_requested()) {
    if (poll(&fd, 1, -1) < 0) continue;  // EINTR
    char buffer[64];
    bool interrupted = false;
    ssize_t n;
    while ((n = read(pipe_[0], buffer, sizeof buffer)) > 0) {
      for (ssize_t i = 0; i < n; ++i) interrupted = interrupted || buffer[i] == 'i';
    }
    if (stop.stop_requested()) return;
    if (interrupted) on_interrupt_();
  }
}

}  // namespace pond::cli
