using Microsoft.Extensions.Logging;

namespace Mode;

/// <summary>
/// How a <see cref="Worker"/> runs (Mode's <c>Worker(**options)</c>). The command line
/// (<c>--loglevel</c>, <c>--logfile</c>, <c>--quiet</c>, <c>--debug</c>) sets the same properties.
/// </summary>
/// <remarks>Read when <see cref="Worker.ExecuteAsync"/> begins; changes after that have no effect.</remarks>
public sealed class WorkerOptions
{
    /// <summary>
    /// The minimum level of the Worker's log output; <see langword="null"/> (the default) means
    /// <see cref="Microsoft.Extensions.Logging.LogLevel.Information"/>, or
    /// <see cref="Microsoft.Extensions.Logging.LogLevel.Debug"/> when <see cref="Debug"/> is set.
    /// </summary>
    public LogLevel? LogLevel { get; set; }

    /// <summary>Write the log to this file (appending, without colours) instead of standard error.</summary>
    public string? LogFile { get; set; }

    /// <summary>
    /// Print nothing but problems: <see cref="Worker.Say"/> and <see cref="Worker.Carp"/> are silent and
    /// the console log shows warnings and errors only (a <see cref="LogFile"/> still gets every line).
    /// </summary>
    public bool Quiet { get; set; }

    /// <summary>
    /// Debug mode: the worker runs a <see cref="BlockingDetector"/>, and the log level defaults to debug
    /// (<c>--debug</c> also overrides a level set in code, but not <c>--loglevel</c>).
    /// </summary>
    public bool Debug { get; set; }

    /// <summary>
    /// How long the thread pool or a <see cref="ServiceThread"/>'s loop may stay blocked before the
    /// <see cref="BlockingDetector"/> warns (Mode's <c>blocking_timeout</c>). Setting it runs the
    /// detector even without <see cref="Debug"/>; <see langword="null"/> means 10 s (when debugging).
    /// </summary>
    public TimeSpan? BlockingTimeout { get; set; }

    /// <summary>
    /// How long starting the services may take (<c>--start-timeout</c>; default 5 minutes;
    /// <see langword="null"/> for no limit). It becomes the Worker's <see cref="Service.StartTimeout"/>,
    /// inherited by every service that has not set its own: when it expires, what started is stopped
    /// and the Worker exits 1 with a message naming the service still starting and its hook.
    /// </summary>
    public TimeSpan? StartTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When <see langword="true"/> (the default) the Worker gives its services its own logger factory
    /// (Mode's format, <see cref="LogLevel"/>, <see cref="LogFile"/>, <see cref="LoggerProviders"/>).
    /// When <see langword="false"/> it leaves every service's <see cref="Service.LoggerFactory"/> as it
    /// is. Either way no global logging state is touched.
    /// </summary>
    public bool OverrideLogging { get; set; } = true;

    /// <summary>Extra providers the Worker's own logger factory writes to, besides Mode's console or file output.</summary>
    public IList<ILoggerProvider> LoggerProviders { get; } = [];

    /// <summary>
    /// A whole logger factory to use instead of the Worker's own (then <see cref="LogLevel"/>,
    /// <see cref="LogFile"/>, <see cref="Quiet"/> and <see cref="LoggerProviders"/> are up to it).
    /// The Worker does not dispose it.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Handle SIGINT, SIGTERM and SIGUSR1 while executing (default <see langword="true"/>). Turn it off
    /// when the host handles signals itself, or in tests.
    /// </summary>
    public bool HandleSignals { get; set; } = true;

    /// <summary>Colour the console log: <see langword="null"/> (default) means only when standard error is a terminal and <c>NO_COLOR</c> is unset.</summary>
    public bool? Colors { get; set; }

    /// <summary>Standard output for help, version and <see cref="Worker.Say"/> (default <see cref="Console.Out"/>).</summary>
    public TextWriter? Out { get; set; }

    /// <summary>Standard error for the log, usage errors, the tree dump and <see cref="Worker.Carp"/> (default <see cref="Console.Error"/>).</summary>
    public TextWriter? Error { get; set; }

    /// <summary>The program name in the usage text (default: the executable's or entry DLL's name).</summary>
    public string? ProgramName { get; set; }

    /// <summary>What <c>--version</c> prints after the program name (default: the entry assembly's version).</summary>
    public string? Version { get; set; }

    /// <summary>The log level in effect: <see cref="LogLevel"/>, else debug with <see cref="Debug"/>, else information.</summary>
    public LogLevel EffectiveLogLevel => LogLevel ?? (Debug ? Microsoft.Extensions.Logging.LogLevel.Debug : Microsoft.Extensions.Logging.LogLevel.Information);

    /// <summary>The blocking timeout in effect (<see cref="BlockingTimeout"/> or 10 s).</summary>
    public TimeSpan EffectiveBlockingTimeout => BlockingTimeout ?? TimeSpan.FromSeconds(10);
}
