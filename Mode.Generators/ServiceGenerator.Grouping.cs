using Mode.Generators.Helpers;
using Mode.Generators.Models;

namespace Mode.Generators;

// Models -> models: the step between the per-member providers and the per-class output.
public sealed partial class ServiceGenerator
{
    /// <summary>
    /// Groups the members by service class (keyed by metadata name) into one model per class, sorted
    /// by that name. Within a class the members are in registration order: by kind; dependencies in
    /// declaration order, background work ordinally by method, then by name.
    /// </summary>
    internal static EquatableArray<ServiceModel> Group(EquatableArray<ServiceMember> members, CancellationToken cancellationToken)
    {
        var byType = new Dictionary<string, (TypeHierarchy Type, List<ServiceMember> Members)>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (!byType.TryGetValue(member.Type.MetadataName, out var group))
            {
                group = (member.Type, []);
                byType.Add(member.Type.MetadataName, group);
            }

            group.Members.Add(member);
        }

        var result = new List<ServiceModel>(byType.Count);
        foreach (var key in byType.Keys.OrderBy(static k => k, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (type, list) = byType[key];
            result.Add(new ServiceModel(
                type,
                list.OrderBy(static m => m.Member.Kind)
                    .ThenBy(static m => m.Order)
                    .ThenBy(static m => (m.Member as BackgroundWorkModel)?.Method, MethodInvocationComparer.Instance)
                    .ThenBy(static m => m.Member.Name, StringComparer.Ordinal)
                    .Select(static m => m.Member)
                    .ToEquatableArray()));
        }

        return result.ToEquatableArray();
    }

    /// <summary>Orders methods by name (ordinal), then by signature; no method (a dependency) first.</summary>
    private sealed class MethodInvocationComparer : IComparer<MethodInvocation?>
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
