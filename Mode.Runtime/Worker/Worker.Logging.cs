using System.Text;
using Microsoft.Extensions.Logging;
using Mode.Logging;

namespace Mode;

// The Worker's logging set-up: its own factory and Mode's console or file format, or the user's.
public partial class Worker
{
    /// <summary>
    /// Called once logging is set up, with the factory the services will use and the level in effect
    /// (Mode's <c>on_setup_root_logger</c>): add providers here, or log a banner.
    /// </summary>
    /// <param name="loggerFactory">The factory the services log through.</param>
    /// <param name="level">The minimum level in effect.</param>
    protected virtual void OnSetupRootLogger(ILoggerFactory loggerFactory, LogLevel level)
    {
    }

    private void SetUpLogging()
    {
        if (IsStarted || Volatile.Read(ref _loggingSetUp) != 0)
        {
            return;
        }

        var level = Options.EffectiveLogLevel;
        if (Options.LoggerFactory is { } given)
        {
            LoggerFactory = given;
            Volatile.Write(ref _loggingSetUp, 1);
            OnSetupRootLogger(given, level);
            return;
        }

        if (!Options.OverrideLogging)
        {
            Volatile.Write(ref _loggingSetUp, 1);
            OnSetupRootLogger(LoggerFactory, level);
            return;
        }

        var factory = new WorkerLoggerFactory(level);
        try
        {
            if (Options.LogFile is { } path)
            {
                var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                factory.AddProvider(new ModeLoggerProvider(new StreamWriter(stream, new UTF8Encoding(false)), colors: false, TimeProvider, ownsWriter: true));
            }
            else
            {
                var colors = Options.Colors ?? (Options.Error is null && DetectColors());
                factory.AddProvider(new ModeLoggerProvider(Error, colors, TimeProvider)
                {
                    MinimumLevel = Options.Quiet ? LogLevel.Warning : LogLevel.Trace,
                });
            }

            foreach (var provider in Options.LoggerProviders)
            {
                factory.AddProvider(provider);
            }
        }
        catch
        {
            factory.Dispose();
            throw;
        }

        _ownLoggerFactory = factory;
        LoggerFactory = factory;
        Volatile.Write(ref _loggingSetUp, 1);
        OnSetupRootLogger(factory, level);
    }

    private static bool DetectColors() =>
        !Console.IsErrorRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
}
