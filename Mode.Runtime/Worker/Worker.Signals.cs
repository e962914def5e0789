using System.Runtime.InteropServices;
using Mode.Logging;

namespace Mode;

// The Worker's signal handling: SIGINT/SIGTERM stop gracefully (a second one forces the exit),
// SIGUSR1 dumps the service tree. InstallSignalHandlers is the one place that registers them.
public partial class Worker
{
    private SignalRegistrations? _signals;

    /// <summary>How the process ends when a second signal forces it (tests replace it).</summary>
    internal Action<int> ForceExit { get; set; } = Environment.Exit;

    /// <summary>Handles a signal by number (2 = SIGINT, 15 = SIGTERM, SIGUSR1); the signal handlers call it.</summary>
    internal void HandleSignal(int signal)
    {
        if (signal == SigUsr1)
        {
            WriteTreeDumpToStandardError();
            return;
        }

        if (Interlocked.Increment(ref _terminationSignals) == 1)
        {
            RequestStop(null, "Stopping on signal received...");
            return;
        }

        var code = ExitCodeForSignal(signal);
        ServiceLog.WorkerForcedExit(Log, code);
        ForceExit(code);
    }

    private static int SigUsr1 => OperatingSystem.IsLinux() ? 10 : 30;

    /// <summary>
    /// Installs the handlers unless <see cref="WorkerOptions.HandleSignals"/> is off or they are
    /// already installed. <see cref="ExecuteFromCommandLine"/> calls it before anything else, so the
    /// window in which a signal takes its default action (kills the process) ends as early as the
    /// program lets the worker run; <see cref="ExecuteAsync"/> calls it again for programs that skip
    /// the command line.
    /// </summary>
    private void InstallSignalHandlersEarly()
    {
        if (!Options.HandleSignals)
        {
            return;
        }

        var installed = InstallSignalHandlers();
        if (Interlocked.CompareExchange(ref _signals, installed, null) is not null)
        {
            installed.Dispose();
        }
    }

    /// <summary>Removes the handlers (the run is over); safe to call more than once.</summary>
    private void RemoveSignalHandlers() => Interlocked.Exchange(ref _signals, null)?.Dispose();

    /// <summary>Registers the SIGINT, SIGTERM and (not on Windows) SIGUSR1 handlers; disposing the result removes them.</summary>
    private SignalRegistrations InstallSignalHandlers()
    {
        var registrations = new SignalRegistrations();
        registrations.TryAdd(PosixSignal.SIGINT, OnPosixSignal);
        registrations.TryAdd(PosixSignal.SIGTERM, OnPosixSignal);
        if (!OperatingSystem.IsWindows())
        {
            registrations.TryAdd((PosixSignal)SigUsr1, OnPosixSignal);
        }

        return registrations;
    }

    private void OnPosixSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var number = context.Signal switch
        {
            PosixSignal.SIGINT => 2,
            PosixSignal.SIGTERM => 15,
            var raw => (int)raw,
        };
        HandleSignal(number);
    }

    private sealed class SignalRegistrations : IDisposable
    {
        private readonly List<PosixSignalRegistration> _registrations = [];

        public void TryAdd(PosixSignal signal, Action<PosixSignalContext> handler)
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, handler));
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or IOException or ArgumentOutOfRangeException)
            {
                // Not on this platform (e.g. SIGUSR1 on Windows): the worker runs without it.
            }
        }

        public void Dispose()
        {
            foreach (var registration in _registrations)
            {
                registration.Dispose();
            }
        }
    }
}
