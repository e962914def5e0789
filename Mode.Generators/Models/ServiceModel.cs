using Mode.Generators.Helpers;

namespace Mode.Generators.Models;

/// <summary>Everything one generated file needs: a service class and its wired members.</summary>
/// <param name="Type">The service class.</param>
/// <param name="Dependencies">The <c>[DependsOn]</c> members, in declaration order.</param>
/// <param name="Tasks">The <c>[Task]</c> methods, in ordinal order.</param>
/// <param name="Timers">The <c>[Timer]</c> methods, in ordinal order.</param>
/// <param name="Crontabs">The <c>[Crontab]</c> methods, in ordinal order.</param>
internal sealed record ServiceModel(
    TypeHierarchy Type,
    EquatableArray<DependencyModel> Dependencies,
    EquatableArray<TaskModel> Tasks,
    EquatableArray<TimerModel> Timers,
    EquatableArray<CrontabModel> Crontabs);
