namespace Mode.Analyzers;

/// <summary>
/// The diagnostic IDs of the Mode analyzers. IDs are a contract (docs/architecture.md): they are never
/// reused or renumbered; a retired rule stays in <c>AnalyzerReleases.Shipped.md</c> as removed.
/// </summary>
public static class DiagnosticIds
{
    /// <summary>A dependency cycle between services through <c>[DependsOn]</c> members.</summary>
    public const string DependencyCycle = "MODE001";

    /// <summary>A blocking call inside an async hook, <c>[Task]</c>, <c>[Timer]</c> or <c>[Crontab]</c> method.</summary>
    public const string BlockingCallInAsyncHook = "MODE002";

    /// <summary>An annotated service class, or a type containing it, is not <c>partial</c>.</summary>
    public const string ServiceNotPartial = "MODE003";

    /// <summary>An annotated class does not derive from <c>Mode.Service</c>.</summary>
    public const string NotAService = "MODE004";

    /// <summary>A <c>[Task]</c>, <c>[Timer]</c> or <c>[Crontab]</c> method has an unsupported signature.</summary>
    public const string UnsupportedBackgroundMethodSignature = "MODE005";

    /// <summary>A timer interval is not a finite positive number, or a cron expression is invalid.</summary>
    public const string InvalidSchedule = "MODE006";

    /// <summary>An <c>async void</c> method in a service.</summary>
    public const string AsyncVoidInService = "MODE007";

    /// <summary>A <c>[DependsOn]</c> member whose type is not an <c>IService</c>.</summary>
    public const string DependencyNotAService = "MODE008";

    /// <summary>A <c>[DependsOn]</c> member that is static, write-only or an indexer.</summary>
    public const string UnsupportedDependencyMember = "MODE009";
}
