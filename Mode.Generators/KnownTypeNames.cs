namespace Mode.Generators;

/// <summary>Metadata names of the runtime types the generator looks for.</summary>
internal static class KnownTypeNames
{
    public const string TaskAttribute = "Mode.TaskAttribute";
    public const string TimerAttribute = "Mode.TimerAttribute";
    public const string CrontabAttribute = "Mode.CrontabAttribute";
    public const string DependsOnAttribute = "Mode.DependsOnAttribute";

    /// <summary>The namespace every runtime type lives in.</summary>
    public const string ModeNamespace = "Mode";

    /// <summary>Simple name of <c>Mode.Service</c>, the base class of every service.</summary>
    public const string Service = "Service";

    /// <summary>Simple name of <c>Mode.IService</c>, the type a <c>[DependsOn]</c> member must have.</summary>
    public const string IService = "IService";

    /// <summary>Simple name of <c>Mode.ServiceWiring</c>.</summary>
    public const string ServiceWiring = "ServiceWiring";

    /// <summary>The virtual method the generator overrides.</summary>
    public const string ConfigureWiring = "ConfigureWiring";

    /// <summary>Names of the <c>[Timer]</c> and <c>[Crontab]</c> named arguments.</summary>
    public const string ExecFirst = "ExecFirst";
    public const string Name = "Name";
    public const string MaxDriftCorrection = "MaxDriftCorrection";
    public const string TimeZone = "TimeZone";
    public const string OnError = "OnError";

    /// <summary>
    /// The default of <c>TimerAttribute.MaxDriftCorrection</c>, written into generated code when the
    /// attribute does not set it; <c>DefaultsTests</c> keeps it equal to the runtime's.
    /// </summary>
    public const double DefaultMaxDriftCorrectionSeconds = 0.1;
}
