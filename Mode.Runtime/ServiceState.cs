namespace Mode;

/// <summary>Where a service is in its lifecycle (Mode's <c>Service.state</c>).</summary>
public enum ServiceState
{
    /// <summary>Created, never started (or reset by a restart and not started again yet).</summary>
    Init,

    /// <summary><see cref="IService.StartAsync"/> is running its hooks and starting children.</summary>
    Starting,

    /// <summary>Started: every child has started and <c>OnStartedAsync</c> is running or done.</summary>
    Running,

    /// <summary><see cref="IService.StopAsync"/> has begun and has not finished.</summary>
    Stopping,

    /// <summary><see cref="IService.StopAsync"/> has finished (unlike Mode, which stays "stopping").</summary>
    Shutdown,

    /// <summary>The service (or, without a supervisor, any service in its tree) crashed.</summary>
    Crashed,

    /// <summary>Between the stop and the start of <see cref="IService.RestartAsync"/>.</summary>
    Restarting,
}
