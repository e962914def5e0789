using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mode.Generators;

/// <summary>
/// Wires <c>[Task]</c>, <c>[Timer]</c>, <c>[Crontab]</c> and <c>[DependsOn]</c> members of partial
/// <c>Mode.Service</c> classes: for each such class it emits an override of
/// <c>Service.ConfigureWiring</c> that registers them through static lambdas, with no reflection.
/// </summary>
/// <remarks>
/// This file is the pipeline only; <c>ServiceGenerator.Parser.cs</c> turns symbols into models and
/// <c>ServiceGenerator.Emitter.cs</c> turns models into text. Invalid input produces no model and no
/// code; the analyzers report it.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class ServiceGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var tasks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.TaskAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => Parser.ParseTask(ctx, ct))
            .WithTrackingName(TrackingNames.Tasks);

        var timers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.TimerAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => Parser.ParseTimer(ctx, ct))
            .WithTrackingName(TrackingNames.Timers);

        var crontabs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.CrontabAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => Parser.ParseCrontab(ctx, ct))
            .WithTrackingName(TrackingNames.Crontabs);

        var dependencies = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.DependsOnAttribute,
                static (node, _) => node is VariableDeclaratorSyntax or PropertyDeclarationSyntax,
                static (ctx, ct) => Parser.ParseDependency(ctx, ct))
            .WithTrackingName(TrackingNames.Dependencies);

        var services = tasks.Collect()
            .Combine(timers.Collect())
            .Combine(crontabs.Collect())
            .Combine(dependencies.Collect())
            .Select(static (input, ct) => Group(input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, input.Right, ct))
            .WithTrackingName(TrackingNames.Services);

        var service = services
            .SelectMany(static (all, _) => all)
            .WithTrackingName(TrackingNames.Service);

        context.RegisterSourceOutput(service, static (spc, model) => spc.AddSource(model.Type.HintName, Emitter.Emit(model)));
    }
}
