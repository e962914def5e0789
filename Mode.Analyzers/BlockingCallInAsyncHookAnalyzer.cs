using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Mode.Analyzers.Helpers;

namespace Mode.Analyzers;

/// <summary>
/// MODE002: a blocking call inside an async hook of a service.
/// </summary>
/// <remarks>
/// <para>Hooks: any override of an awaitable virtual declared by <c>Mode.Service</c> (or another
/// Mode runtime class deriving from it) — <c>OnStartAsync</c>, <c>OnStopAsync</c>, ... — and every
/// <c>[Task]</c>, <c>[Timer]</c> and <c>[Crontab]</c> method, with the lambdas and local functions
/// inside them (see <see cref="BlockingCallFinder"/> for what is found and what is left alone).</para>
/// <para>Blocking calls: the rows of <see cref="BlockingApiCatalog"/>, the users' own
/// <c>mode_blocking_apis</c> (<c>.editorconfig</c>), any synchronous method with an awaitable
/// <c>…Async</c> twin, a synchronous <c>Dispose</c>/<c>using</c> of an <c>IAsyncDisposable</c>, and
/// a call of a synchronous method of the compilation that blocks, directly or through further
/// such calls (<see cref="BlockingHelperSummaries"/>): reported at the call in the hook, the message
/// naming the chain.</para>
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallInAsyncHookAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.BlockingCallInAsyncHook);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (!ModeSymbols.TryCreate(start.Compilation, out var symbols))
            {
                return;
            }

            // One analysis per distinct mode_blocking_apis value (in practice one per compilation):
            // the summaries of helpers depend on which APIs block.
            var analyses = new ConcurrentDictionary<string, Analysis>(StringComparer.Ordinal);
            var compilation = start.Compilation;
            var options = start.Options.AnalyzerConfigOptionsProvider;

            // Operation blocks only for the members of services: registered per type, the driver
            // builds no operation tree for the rest of the compilation.
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    if (symbols.IsService((INamedTypeSymbol)symbolStart.Symbol))
                    {
                        symbolStart.RegisterOperationBlockAction(c =>
                        {
                            if (c.OwningSymbol is not IMethodSymbol method || !symbols.IsHook(method) || c.OperationBlocks.IsEmpty)
                            {
                                return;
                            }

                            options.GetOptions(c.OperationBlocks[0].Syntax.SyntaxTree).TryGetValue(BlockingSymbols.UserApisOption, out var userApis);
                            var analysis = analyses.GetOrAdd(userApis ?? string.Empty, value => new Analysis(new BlockingSymbols(compilation, symbols, value)));
                            AnalyzeHook(c, method, analysis);
                        });
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private sealed class Analysis(BlockingSymbols known)
    {
        public BlockingSymbols Known { get; } = known;

        public BlockingHelperSummaries Helpers { get; } = new(known);
    }

    private static void AnalyzeHook(OperationBlockAnalysisContext context, IMethodSymbol hook, Analysis analysis)
    {
        foreach (var block in context.OperationBlocks)
        {
            foreach (var found in new BlockingCallFinder(analysis.Known, block, hook.ContainingType, analysis.Helpers).Find(context.CancellationToken))
            {
                var inService = IsServiceInstanceContext(found.Operation, hook, analysis.Known.Symbols);
                var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                properties[BlockingCallProperties.Kind] = found.Kind.ToString();
                properties[BlockingCallProperties.InService] = inService ? "true" : "false";
                if (found.Twin is not null)
                {
                    properties[BlockingCallProperties.Twin] = found.Twin.Name;
                    properties[BlockingCallProperties.TwinTakesToken] = found.TwinTakesToken ? "true" : "false";
                }

                var chain = found.Helper is null ? string.Empty : " (" + analysis.Helpers.DescribeChain(found.Helper) + ")";
                var advice = found.Kind == BlockingCallKind.Sleep && inService
                    ? "await SleepAsync instead, which also wakes up when the service stops"
                    : found.Advice;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.BlockingCallInAsyncHook,
                    found.Location,
                    properties.ToImmutable(),
                    found.What,
                    SymbolNames.Member(hook),
                    chain,
                    advice));
            }
        }
    }

    private static bool IsServiceInstanceContext(IOperation operation, IMethodSymbol hook, ModeSymbols symbols)
    {
        if (hook.IsStatic || !symbols.IsService(hook.ContainingType))
        {
            return false;
        }

        for (var function = BlockingCallFinder.ContainingFunction(operation); function is not null; function = BlockingCallFinder.ContainingFunction(function))
        {
            var isStatic = function switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol.IsStatic,
                ILocalFunctionOperation local => local.Symbol.IsStatic,
                _ => false,
            };
            if (isStatic)
            {
                return false;
            }
        }

        return true;
    }
}
