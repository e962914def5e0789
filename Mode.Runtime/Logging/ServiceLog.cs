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
    // 1xxx: lifecycle
    [LoggerMessage(EventId = 1015, Level = LogLevel.Error, Message = "Start timed out: {Service} did not start within {Timeout} (it was in {Hook}); stopping what started")]
    public static partial void StartTimedOut(ILogger logger, string service, TimeSpan timeout, string hook);

    [LoggerMessage(EventId = 1001, Message = "Starting...")]
    public static partial void Starting(ILogger logger, LogLevel level);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Started.")]
    public static partial void Started(ILogger logger);

    [LoggerMessage(EventId = 1003, Message = "Stopping...")]
    public static partial void Stopping(ILogger logger, LogLevel level);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Error in OnStopAsync; continuing the stop")]
    public static partial void OnStopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "Error in OnThreadStopAsync; continuing the stop")]
    public static partial void OnThreadStopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Error while stopping child {Child}")]
    public static partial void ChildStopFailed(ILogger logger, Exception exception, string child);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Shutting down...")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Waiting for shutdown")]
    public static partial void WaitingForShutdown(ILogger logger);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Timed out after {Timeout} waiting for SetShutdown(); continuing the stop")]
    public static partial void ShutdownSignalTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Shutting down now")]
    public static partial void ShuttingDownNow(ILogger logger);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning, Message = "OnStartAsync did not return to its caller within {Timeout} after the stop began; stopping alongside it")]
    public static partial void StartHookCallTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "Error while disposing context {Context}")]
    public static partial void ContextDisposeFailed(ILogger logger, Exception exception, string context);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "-Stopped!")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error, Message = "A stopping-token callback threw")]
    public static partial void StoppingCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Error, Message = "Crashed reason={Reason}")]
    public static partial void Crashed(ILogger logger, Exception exception, string reason);

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

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "A future was cancelled although the service is not stopping")]
    public static partial void FutureCancelled(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Abandoning background task {Task}: it did not finish within {Timeout} after the stop began")]
    public static partial void BackgroundWorkAbandoned(ILogger logger, string task, TimeSpan timeout);

    // 3xxx: timers
    [LoggerMessage(EventId = 3001, Message = "Timer {Timer} woke up too late, with a drift of +{Drift} interval={Interval}")]
    public static partial void TimerDrift(ILogger logger, LogLevel level, string timer, TimeSpan drift, TimeSpan interval);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Timer {Timer} is overlapping (interval={Interval} runtime={Runtime})")]
    public static partial void TimerOverlapping(ILogger logger, string timer, TimeSpan interval, TimeSpan runtime);

    // 4xxx: supervisors
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Max restarts exceeded: more than {MaxRestarts} restarts within {Over}")]
    public static partial void MaxRestartsExceeded(ILogger logger, int maxRestarts, TimeSpan over);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Restarting dead {Service}! Last crash reason: {Reason}")]
    public static partial void RestartingDeadService(ILogger logger, string service, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Restarting dead {Service} in {Delay} s (attempt {Attempt}). Last crash reason: {Reason}")]
    public static partial void RestartingDeadServiceIn(ILogger logger, string service, string delay, int attempt, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Error while stopping {Service}")]
    public static partial void SupervisedStopFailed(ILogger logger, Exception exception, string service);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Critical, Message = "Giving up on crashed services: {Services}")]
    public static partial void GivingUp(ILogger logger, string services);

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

    // 6xxx: the blocking detector
    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Blocking detected (timeout={Timeout}): {Report}")]
    public static partial void BlockingDetected(ILogger logger, TimeSpan timeout, string report);
}
