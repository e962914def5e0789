using Mode.Logging;

namespace Mode;

// The Worker's exit codes: what a run returns to the shell, and the lines that explain a non-zero one.
public partial class Worker
{
    /// <summary>A clean stop.</summary>
    private const int ExitOk = 0;

    /// <summary>A crash, a failed start or a failed stop.</summary>
    private const int ExitFailure = 1;

    /// <summary>Bad command-line arguments (or a log file that cannot be opened).</summary>
    private const int ExitUsage = 2;

    /// <summary>The shell's code for a process ended by <paramref name="signal"/>: 128 + its number (130 for SIGINT).</summary>
    private static int ExitCodeForSignal(int signal) => 128 + signal;

    /// <summary>
    /// The exit code once the tree is down: the one a service asked for with <see cref="Stop"/>,
    /// otherwise <see cref="ExitFailure"/> after a crash or a failed start or stop, otherwise
    /// <see cref="ExitOk"/>. Logs why when it is not 0.
    /// </summary>
    private int ExitCodeAfterRun(bool failed)
    {
        var exitCode = RequestedExitCode ?? (failed || IsCrashed ? ExitFailure : ExitOk);
        if (IsCrashed && RequestedExitCode is null)
        {
            ServiceLog.WorkerCrashExit(Log, exitCode, Describe(CrashReason));
        }
        else if (exitCode != ExitOk)
        {
            ServiceLog.WorkerNonZeroExit(Log, exitCode);
        }

        return exitCode;
    }
}
