using Microsoft.Extensions.Logging;

namespace Mode.Logging;

/// <summary>
/// The runtime's log lines, as <see cref="LoggerMessageAttribute"/> methods: the message template is
/// parsed once at compile time, and every line has an event id. Ids are grouped by area, as the
/// Generic Host's are: 1xxx lifecycle, 2xxx background work, 3xxx timers, 4xxx supervisors,
/// 5xxx the Worker, 6xxx the blocking detector. Never renumber one: log queries depend on them.
/// </summary>
internal static partial class ServiceLog
{
    // 2xxx: background work
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Background task {Name} failed; it ends and the service keeps running")]
    public static partial void TaskFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Timer {Name} failed; the schedule continues")]
    public static partial void TimerFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Cron job {Name} failed; the schedule continues")]
    public static partial void CronJobFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Background task {Task} was cancelled although the service is not stopping")]
    public static partial void BackgroundWorkCancelled(ILogger logger, Exception exception, string task);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Cron job {Job} ({Expression}) has no further occurrence; it stops")]
    public static partial void CronJobExhausted(ILogger logger, string job, string expression);

    // 3xxx: timers
    [LoggerMessage(EventId = 3001, Message = "Timer {Timer} woke up too late, with a drift of +{Drift} interval={Interval}")]
    public static partial void TimerDrift(ILogger logger, LogLevel level, string timer, TimeSpan drift, TimeSpan interval);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Timer {Timer} is overlapping (interval={Interval} runtime={Runtime})")]
    public static partial void TimerOverlapping(ILogger logger, string timer, TimeSpan interval, TimeSpan runtime);

    // 5xxx: the Worker
    [LoggerMessage(EventId = 5001, Level = LogLevel.Critical, Message = "Error while starting {Service}: {Reason}")]
    public static partial void WorkerStartFailed(ILogger logger, Exception exception, string service, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Stopping after a crash: {Reason}")]
    public static partial void WorkerStoppingAfterCrash(ILogger logger, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Error in OnWorkerShutdownAsync")]
    public static partial void WorkerShutdownHookFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "Error while stopping: {Reason}")]
    public static partial void WorkerStopFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Critical, Message = "We experienced a crash! Exiting with code {ExitCode}: {Reason}")]
    public static partial void WorkerCrashExit(ILogger logger, int exitCode, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Exiting with code {ExitCode}")]
    public static partial void WorkerNonZeroExit(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "{Message}")]
    public static partial void WorkerStopRequested(ILogger logger, string message);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Second signal received during the stop: exiting now with code {ExitCode}")]
    public static partial void WorkerForcedExit(ILogger logger, int exitCode);
}
