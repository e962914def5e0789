namespace Mode.Generators;

/// <summary>
/// The names of the generator's pipeline steps (<c>WithTrackingName</c>). The cacheability tests
/// assert the run reason of every one of them, so renaming a step is a test change.
/// </summary>
internal static class TrackingNames
{
    /// <summary>The <c>[Task]</c> methods, one model per method (null for an invalid one).</summary>
    public const string Tasks = "Mode.Tasks";

    /// <summary>The <c>[Timer]</c> methods.</summary>
    public const string Timers = "Mode.Timers";

    /// <summary>The <c>[Crontab]</c> methods.</summary>
    public const string Crontabs = "Mode.Crontabs";

    /// <summary>The <c>[DependsOn]</c> fields and properties.</summary>
    public const string Dependencies = "Mode.Dependencies";

    /// <summary>Every valid member of every attribute provider, in one array.</summary>
    public const string Members = "Mode.Members";

    /// <summary>Every valid member of every service, grouped into one model per service class.</summary>
    public const string Services = "Mode.Services";

    /// <summary>One service class: the input of one generated file.</summary>
    public const string Service = "Mode.Service";

    /// <summary>The service graph's part of every service: the input of <c>ModeServiceGraph.g.cs</c>.</summary>
    public const string Graph = "Mode.Graph";

    /// <summary>All the step names, for tests that walk every step.</summary>
    public static readonly string[] All = [Tasks, Timers, Crontabs, Dependencies, Members, Services, Service, Graph];
}
