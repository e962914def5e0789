using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mode.Generators.Helpers;
using Mode.Generators.Models;

namespace Mode.Generators;

/// <summary>
/// Wires <c>[Task]</c>, <c>[Timer]</c>, <c>[Crontab]</c> and <c>[DependsOn]</c> members of partial
/// <c>Mode.Service</c> classes: for each such class it emits an override of
/// <c>Service.ConfigureWiring</c> that registers them through static lambdas, with no reflection; and,
/// once per compilation that has such classes, <c>ModeServiceGraph</c>, their <c>[DependsOn]</c> graph.
/// </summary>
/// <remarks>
/// This file is the pipeline only; <c>ServiceGenerator.Parser.cs</c> turns symbols into models,
/// <c>ServiceGenerator.Grouping.cs</c> groups them by class, <c>ServiceGenerator.Emitter.cs</c> turns
/// models into text and <c>ServiceGenerator.Graph.cs</c> writes the service graph. Invalid input produces no model and no code; the analyzers report it.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class ServiceGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // One provider per attribute, each yielding the shared ServiceMember model; adding an
        // attribute adds one line here (plus its model, parser and emitter cases), not a Combine level.
        var members = Merge(
            Members(context, KnownTypeNames.TaskAttribute, IsMethod, Parser.ParseTask, TrackingNames.Tasks),
            Members(context, KnownTypeNames.TimerAttribute, IsMethod, Parser.ParseTimer, TrackingNames.Timers),
            Members(context, KnownTypeNames.CrontabAttribute, IsMethod, Parser.ParseCrontab, TrackingNames.Crontabs),
            Members(context, KnownTypeNames.DependsOnAttribute, IsFieldOrProperty, Parser.ParseDependency, TrackingNames.Dependencies));

        var services = members
            .Select(static (all, ct) => Group(all, ct))
            .WithTrackingName(TrackingNames.Services);

        var service = services
            .SelectMany(static (all, _) => all)
            .WithTrackingName(TrackingNames.Service);

        context.RegisterSourceOutput(service, static (spc, model) => spc.AddSource(model.Type.HintName, Emitter.Emit(model)));

        // The compile-time service graph: re-written only when a service or a [DependsOn] member changes.
        var graph = services
            .Select(static (all, _) => ServiceGraph.From(all))
            .WithTrackingName(TrackingNames.Graph);
        var rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => ServiceGraph.Namespace(
                options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var value) ? value : null));

        context.RegisterSourceOutput(graph.Combine(rootNamespace), static (spc, input) =>
        {
            if (!input.Left.IsEmpty)
            {
                spc.AddSource(GraphHintName, ServiceGraph.Emit(input.Left, input.Right));
            }
        });
    }

    private static bool IsMethod(SyntaxNode node, CancellationToken cancellationToken) => node is MethodDeclarationSyntax;

    private static bool IsFieldOrProperty(SyntaxNode node, CancellationToken cancellationToken) =>
        node is VariableDeclaratorSyntax or PropertyDeclarationSyntax;

    /// <summary>The members marked with one attribute, parsed (null where the parser rejects one).</summary>
    private static IncrementalValuesProvider<ServiceMember?> Members(
        IncrementalGeneratorInitializationContext context,
        string attributeMetadataName,
        Func<SyntaxNode, CancellationToken, bool> predicate,
        Func<GeneratorAttributeSyntaxContext, CancellationToken, ServiceMember?> parse,
        string trackingName) =>
        context.SyntaxProvider
            .ForAttributeWithMetadataName(attributeMetadataName, predicate, parse)
            .WithTrackingName(trackingName);

    /// <summary>
    /// All the valid members of every provider in one equatable array (in provider order), so a
    /// change in one attribute's members leaves the other providers' steps cached.
    /// </summary>
    private static IncrementalValueProvider<EquatableArray<ServiceMember>> Merge(params IncrementalValuesProvider<ServiceMember?>[] providers)
    {
        var all = providers[0].Collect().Select(static (found, _) => Append(EquatableArray<ServiceMember>.Empty, found));
        for (var i = 1; i < providers.Length; i++)
        {
            all = all.Combine(providers[i].Collect()).Select(static (pair, _) => Append(pair.Left, pair.Right));
        }

        return all.WithTrackingName(TrackingNames.Members);
    }

    private static EquatableArray<ServiceMember> Append(EquatableArray<ServiceMember> members, IEnumerable<ServiceMember?> found)
    {
        var all = new List<ServiceMember>(members);
        foreach (var member in found)
        {
            if (member is not null)
            {
                all.Add(member);
            }
        }

        return all.ToEquatableArray();
    }
}
