namespace Mode.Generators;

/// <summary>
/// Metadata names of the attributes the generator looks for, and their named arguments. The names of
/// the types a service is checked against live in <c>Shared/WiringRules.cs</c>.
/// </summary>
internal static class KnownTypeNames
{
    public const string TaskAttribute = "Mode.TaskAttribute";
    public const string TimerAttribute = "Mode.TimerAttribute";
    public const string CrontabAttribute = "Mode.CrontabAttribute";
    public const string DependsOnAttribute = "Mode.DependsOnAttribute";

    /// <summary>Names of the <c>[Timer]</c> and <c>[Crontab]</c> named arguments.</summary>
    public const string ExecFirst = "ExecFirst";
    public const string Name = "Name";
    public const string MaxDriftCorrection = "MaxDriftCorrection";
    public const string TimeZone = "TimeZone";
    public const string OnError = "OnError";
    public const string IncludeSeconds = "IncludeSeconds";

    /// <summary>
    /// The default of <c>TimerAttribute.MaxDriftCorrection</c>, written into generated code when the
    /// attribute does not set it; <c>DefaultsTests</c> keeps it equal to the runtime's.
    /// </summary>
    public const double DefaultMaxDriftCorrectionSeconds = 0.1;
}
