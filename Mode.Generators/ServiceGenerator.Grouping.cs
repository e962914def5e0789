using System.Collections.Immutable;
using Mode.Generators.Helpers;
using Mode.Generators.Models;

namespace Mode.Generators;

// Models -> models: the step between the per-member providers and the per-class output.
public sealed partial class ServiceGenerator
{
    /// <summary>
    /// Groups the members by service class (keyed by metadata name) into one model per class, sorted
    /// by that name. Dependencies keep their declaration order; the rest is sorted ordinally.
    /// </summary>
    internal static EquatableArray<ServiceModel> Group(
        ImmutableArray<ServiceMember<TaskModel>?> tasks,
        ImmutableArray<ServiceMember<TimerModel>?> timers,
        ImmutableArray<ServiceMember<CrontabModel>?> crontabs,
        ImmutableArray<ServiceMember<DependencyModel>?> dependencies,
        CancellationToken cancellationToken)
    {
        var builders = new Dictionary<string, ServiceBuilder>(StringComparer.Ordinal);

        ServiceBuilder For(TypeHierarchy type)
        {
            if (!builders.TryGetValue(type.MetadataName, out var builder))
            {
                builder = new ServiceBuilder(type);
                builders.Add(type.MetadataName, builder);
            }

            return builder;
        }

        foreach (var member in tasks)
        {
            if (member is not null)
            {
                For(member.Type).Tasks.Add(member.Model);
            }
        }

        foreach (var member in timers)
        {
            if (member is not null)
            {
                For(member.Type).Timers.Add(member.Model);
            }
        }

        foreach (var member in crontabs)
        {
            if (member is not null)
            {
                For(member.Type).Crontabs.Add(member.Model);
            }
        }

        foreach (var member in dependencies)
        {
            if (member is not null)
            {
                For(member.Type).Dependencies.Add((member.Order, member.Model));
            }
        }

        var result = new List<ServiceModel>(builders.Count);
        foreach (var key in builders.Keys.OrderBy(static k => k, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var builder = builders[key];
            result.Add(new ServiceModel(
                builder.Type,
                builder.Dependencies
                    .OrderBy(static d => d.Order)
                    .ThenBy(static d => d.Model.Name, StringComparer.Ordinal)
                    .Select(static d => d.Model)
                    .ToEquatableArray(),
                builder.Tasks
                    .OrderBy(static t => t.Method, MethodInvocationComparer.Instance)
                    .ThenBy(static t => t.Name, StringComparer.Ordinal)
                    .ToEquatableArray(),
                builder.Timers
                    .OrderBy(static t => t.Method, MethodInvocationComparer.Instance)
                    .ThenBy(static t => t.Name, StringComparer.Ordinal)
                    .ToEquatableArray(),
                builder.Crontabs
                    .OrderBy(static t => t.Method, MethodInvocationComparer.Instance)
                    .ThenBy(static t => t.Name, StringComparer.Ordinal)
                    .ToEquatableArray()));
        }

        return result.ToEquatableArray();
    }

    private sealed class ServiceBuilder(TypeHierarchy type)
    {
        public TypeHierarchy Type { get; } = type;

        public List<TaskModel> Tasks { get; } = [];

        public List<TimerModel> Timers { get; } = [];

        public List<CrontabModel> Crontabs { get; } = [];

        public List<(DeclarationOrder Order, DependencyModel Model)> Dependencies { get; } = [];
    }

    /// <summary>Orders methods by name (ordinal), then by signature.</summary>
    private sealed class MethodInvocationComparer : IComparer<MethodInvocation>
    {
        public static readonly MethodInvocationComparer Instance = new();

        public int Compare(MethodInvocation? x, MethodInvocation? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            var result = StringComparer.Ordinal.Compare(x.MethodName, y.MethodName);
            if (result == 0)
            {
                result = x.TakesCancellationToken.CompareTo(y.TakesCancellationToken);
            }

            return result == 0 ? x.ReturnKind.CompareTo(y.ReturnKind) : result;
        }
    }
}
