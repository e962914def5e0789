namespace Mode;

/// <summary>What an unhandled exception in a <see cref="TaskAttribute"/>, <see cref="TimerAttribute"/> or <see cref="CrontabAttribute"/> method does.</summary>
public enum BackgroundErrorPolicy
{
    /// <summary>
    /// The kind's default: <see cref="Crash"/> for tasks and timers (as Mode), <see cref="LogAndContinue"/>
    /// for cron jobs (one failing job must not take the worker down, Faust #578).
    /// </summary>
    Default,

    /// <summary>Crash the service (<see cref="Service.Crash"/>): its supervisor, or the whole tree, reacts.</summary>
    Crash,

    /// <summary>Log the exception at error level and go on: a timer or cron job keeps its schedule; a task ends.</summary>
    LogAndContinue,
}
