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
/// inside them, except lambdas handed to <c>Task.Run</c>, <c>TaskFactory.StartNew</c>,
/// <c>ThreadPool.QueueUserWorkItem</c> or <c>new Thread</c>, which exist to move blocking work off
/// the hook.</para>
/// <para>Blocking calls: <c>Thread.Sleep</c>, <c>Task.Wait/WaitAll/WaitAny</c>,
/// <c>Task&lt;T&gt;.Result</c>, <c>GetAwaiter().GetResult()</c>, waits on <c>SemaphoreSlim</c>,
/// <c>ManualResetEventSlim</c>, <c>CountdownEvent</c>, <c>WaitHandle</c>, <c>Thread.Join</c>,
/// <c>Process.WaitForExit</c>, <c>Console.ReadLine/ReadKey/Read</c>, <c>Monitor.Enter</c> (and
/// <c>Lock.Enter</c>) when an await follows in the same function, and any synchronous method with an
/// awaitable <c>…Async</c> twin (see <see cref="AsyncTwinFinder"/>). A <c>lock</c> statement is not
/// reported by itself (C# forbids await inside it); blocking calls inside it are.</para>
/// <para>Not reported: <c>.Result</c>, <c>.Wait()</c> or <c>GetResult()</c> on a task that is
/// already complete: awaited earlier in the same function or an enclosing one (directly, through
/// <c>ConfigureAwait</c>/<c>WaitAsync</c>, or as an element of an awaited <c>Task.WhenAll</c>) and
/// not reassigned since, checked in source order; guarded by <c>if (t.IsCompleted …)</c>; or made by
/// <c>Task.FromResult</c>/<c>Task.CompletedTask</c>.</para>
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

            var known = new KnownSymbols(start.Compilation, symbols);
            // Operation blocks only for the members of services: registered per type, the driver
            // builds no operation tree for the rest of the compilation.
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    if (symbols.IsService((INamedTypeSymbol)symbolStart.Symbol))
                    {
                        symbolStart.RegisterOperationBlockAction(c => AnalyzeBlock(c, known));
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, KnownSymbols known)
    {
        if (context.OwningSymbol is not IMethodSymbol method || !known.IsHook(method))
        {
            return;
        }

        foreach (var block in context.OperationBlocks)
        {
            new BlockWalker(context, known, method, block).Run();
        }
    }

    /// <summary>The symbols MODE002 needs, resolved once per compilation.</summary>
    private sealed class KnownSymbols
    {
        public KnownSymbols(Compilation compilation, ModeSymbols symbols)
        {
            Symbols = symbols;
            Twins = new AsyncTwinFinder(symbols);
            Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
            ThreadPool = compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
            TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
            TaskFactoryOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory`1");
            Monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
            Lock = compilation.GetTypeByMetadataName("System.Threading.Lock");
            WaitHandle = compilation.GetTypeByMetadataName("System.Threading.WaitHandle");
            SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
            ManualResetEventSlim = compilation.GetTypeByMetadataName("System.Threading.ManualResetEventSlim");
            CountdownEvent = compilation.GetTypeByMetadataName("System.Threading.CountdownEvent");
            Process = compilation.GetTypeByMetadataName("System.Diagnostics.Process");
            Console = compilation.GetTypeByMetadataName("System.Console");
            CancellationTokenSource = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenSource");
            InMemoryTypes = ImmutableArray.Create(
                compilation.GetTypeByMetadataName("System.IO.MemoryStream"),
                compilation.GetTypeByMetadataName("System.IO.StringReader"),
                compilation.GetTypeByMetadataName("System.IO.StringWriter"));
        }

        public ModeSymbols Symbols { get; }

        public AsyncTwinFinder Twins { get; }

        public INamedTypeSymbol? Thread { get; }

        public INamedTypeSymbol? ThreadPool { get; }

        public INamedTypeSymbol? TaskFactory { get; }

        public INamedTypeSymbol? TaskFactoryOfT { get; }

        public INamedTypeSymbol? Monitor { get; }

        public INamedTypeSymbol? Lock { get; }

        public INamedTypeSymbol? WaitHandle { get; }

        public INamedTypeSymbol? SemaphoreSlim { get; }

        public INamedTypeSymbol? ManualResetEventSlim { get; }

        public INamedTypeSymbol? CountdownEvent { get; }

        public INamedTypeSymbol? Process { get; }

        public INamedTypeSymbol? Console { get; }

        public INamedTypeSymbol? CancellationTokenSource { get; }

        /// <summary>Types whose synchronous I/O never blocks (their async twins complete synchronously).</summary>
        public ImmutableArray<INamedTypeSymbol?> InMemoryTypes { get; }

        public bool IsHook(IMethodSymbol method)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (Symbols.GetAttributeKind(attribute) is ModeAttributeKind.Task or ModeAttributeKind.Timer or ModeAttributeKind.Crontab)
                {
                    return true;
                }
            }

            if (!method.IsOverride)
            {
                return false;
            }

            var root = method;
            while (root.OverriddenMethod is { } overridden)
            {
                root = overridden;
            }

            return Symbols.IsTaskLike(root.ReturnType)
                && SymbolEqualityComparer.Default.Equals(root.ContainingAssembly, Symbols.Service.ContainingAssembly)
                && Symbols.IsService(root.ContainingType);
        }

        public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
            expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);

        public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? expected)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (Is(current, expected))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private readonly record struct Finding(
        BlockingCallKind Kind,
        string What,
        string Advice,
        IMethodSymbol? Twin,
        bool TwinTakesToken);

    private readonly record struct FlowEvent(ISymbol Symbol, int Position, bool IsAwait, IOperation? Function);

    /// <summary>Walks one operation block of a hook in source order.</summary>
    private sealed class BlockWalker(OperationBlockAnalysisContext context, KnownSymbols known, IMethodSymbol hook, IOperation block)
    {
        private List<FlowEvent>? _events;
        private List<(int Position, IOperation? Function)>? _awaits;

        public void Run()
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                Finding? finding = operation switch
                {
                    IInvocationOperation invocation => ClassifyInvocation(invocation),
                    IPropertyReferenceOperation property => ClassifyProperty(property),
                    _ => null,
                };
                if (finding is not { } found || IsOffloaded(operation))
                {
                    continue;
                }

                var properties = ImmutableDictionary.CreateBuilder<string, string?>();
                properties[BlockingCallProperties.Kind] = found.Kind.ToString();
                properties[BlockingCallProperties.InService] = IsServiceInstanceContext(operation) ? "true" : "false";
                if (found.Twin is not null)
                {
                    properties[BlockingCallProperties.Twin] = found.Twin.Name;
                    properties[BlockingCallProperties.TwinTakesToken] = found.TwinTakesToken ? "true" : "false";
                }

                var advice = found.Kind == BlockingCallKind.Sleep && properties[BlockingCallProperties.InService] == "true"
                    ? "await SleepAsync instead, which also wakes up when the service stops"
                    : found.Advice;
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.BlockingCallInAsyncHook,
                    operation.Syntax.GetLocation(),
                    properties.ToImmutable(),
                    found.What,
                    SymbolNames.Member(hook),
                    advice));
            }
        }

        private Finding? ClassifyInvocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var type = method.ContainingType;
            var name = method.Name;

            if (KnownSymbols.Is(type, known.Thread) && name == "Sleep")
            {
                return new(BlockingCallKind.Sleep, "Thread.Sleep", "await Task.Delay instead", null, false);
            }

            if (KnownSymbols.Is(type, known.Symbols.Task))
            {
                switch (name)
                {
                    case "Wait" when !method.IsStatic:
                        return IsKnownComplete(invocation.Instance, invocation)
                            ? null
                            : new(BlockingCallKind.Wait, "Task.Wait", "await the task instead", null, false);
                    case "WaitAll" when method.IsStatic:
                        return new(BlockingCallKind.WaitAll, "Task.WaitAll", "await Task.WhenAll instead", null, false);
                    case "WaitAny" when method.IsStatic:
                        return new(BlockingCallKind.WaitAny, "Task.WaitAny", "await Task.WhenAny instead", null, false);
                }
            }

            if (name == "GetResult"
                && type.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices"
                && (type.Name.EndsWith("Awaiter", StringComparison.Ordinal)))
            {
                var awaited = AwaitedTaskOfGetResult(invocation);
                return IsKnownComplete(awaited, invocation)
                    ? null
                    : new(BlockingCallKind.GetResult, "GetAwaiter().GetResult()", "await the task instead", null, false);
            }

            if ((KnownSymbols.Is(type, known.Monitor) && name is "Enter" or "TryEnter")
                || (KnownSymbols.Is(type, known.Lock) && name is "Enter" or "TryEnter" or "EnterScope"))
            {
                return IsFollowedByAwait(invocation)
                    ? new(BlockingCallKind.LockAcrossAwait, type.Name + "." + name, "the lock is thread-affine and held across an await; use SemaphoreSlim.WaitAsync instead", null, false)
                    : null;
            }

            if (KnownSymbols.Is(type, known.Console) && name is "ReadLine" or "ReadKey" or "Read")
            {
                return new(BlockingCallKind.ConsoleRead, "Console." + name, name == "ReadLine"
                    ? "await Console.In.ReadLineAsync instead, or read input outside the service"
                    : "read input on a dedicated thread, outside the service", null, false);
            }

            var isExplicitWait =
                (name is "Wait" && (KnownSymbols.Is(type, known.SemaphoreSlim) || KnownSymbols.Is(type, known.ManualResetEventSlim) || KnownSymbols.Is(type, known.CountdownEvent)))
                || (name is "WaitOne" or "WaitAll" or "WaitAny" or "SignalAndWait" && KnownSymbols.DerivesFrom(type, known.WaitHandle))
                || (name is "Join" && KnownSymbols.Is(type, known.Thread))
                || (name is "WaitForExit" && KnownSymbols.Is(type, known.Process));

            var twin = IsExcludedFromTwinRule(invocation) ? null : known.Twins.Find(method);
            if (twin is not null && !context.Compilation.IsSymbolAccessibleWithin(twin, hook.ContainingType))
            {
                twin = null;
            }

            var what = type.Name + "." + name;
            if (twin is not null)
            {
                var takesToken = twin.Parameters.Length == method.Parameters.Length + 1;
                return new(isExplicitWait ? BlockingCallKind.BlockingWait : BlockingCallKind.AsyncTwin, what, $"await '{twin.Name}' instead", twin, takesToken);
            }

            return isExplicitWait
                ? new(BlockingCallKind.BlockingWait, what, "use an awaitable alternative such as SemaphoreSlim.WaitAsync, a TaskCompletionSource or Task.WaitAsync", null, false)
                : null;
        }

        private Finding? ClassifyProperty(IPropertyReferenceOperation property)
        {
            if (property.Property.Name != "Result"
                || !(KnownSymbols.Is(property.Property.ContainingType, known.Symbols.TaskOfT) || KnownSymbols.Is(property.Property.ContainingType, known.Symbols.ValueTaskOfT))
                || IsKnownComplete(property.Instance, property))
            {
                return null;
            }

            return new(BlockingCallKind.Result, property.Property.ContainingType.Name + ".Result", "await the task instead", null, false);
        }

        private bool IsExcludedFromTwinRule(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (KnownSymbols.Is(method.ContainingType, known.CancellationTokenSource))
            {
                return true; // Cancel() runs callbacks; CancelAsync() is not "the non-blocking form"
            }

            if (method.Name == "Dispose")
            {
                return true; // Dispose/DisposeAsync pairs are mostly timers and handles; 'await using' is a style choice
            }

            var receiverType = invocation.Instance?.Type;
            foreach (var inMemory in known.InMemoryTypes)
            {
                if (KnownSymbols.DerivesFrom(receiverType, inMemory))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The task whose awaiter <c>GetResult</c> is called on: <c>t</c> in <c>t.ConfigureAwait(false).GetAwaiter().GetResult()</c>.</summary>
        private static IOperation? AwaitedTaskOfGetResult(IInvocationOperation getResult)
        {
            var awaiter = Unwrap(getResult.Instance);
            return awaiter is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } getAwaiter
                ? UnwrapAwaitable(getAwaiter.Instance)
                : null;
        }

        private bool IsKnownComplete(IOperation? task, IOperation access)
        {
            task = UnwrapAwaitable(task);
            switch (task)
            {
                case IPropertyReferenceOperation { Property.Name: "CompletedTask", Property.IsStatic: true }:
                case IInvocationOperation { TargetMethod.IsStatic: true, TargetMethod.Name: "FromResult" or "FromException" or "FromCanceled" }:
                    return true;
            }

            var symbol = ReferencedSymbol(task);
            if (symbol is null)
            {
                return false;
            }

            if (IsGuardedByIsCompleted(symbol, access))
            {
                return true;
            }

            _events ??= CollectEvents();
            var function = ContainingFunction(access);
            var position = access.Syntax.SpanStart;
            FlowEvent? last = null;
            foreach (var flowEvent in _events)
            {
                if (flowEvent.Position > position)
                {
                    break;
                }

                if (SymbolEqualityComparer.Default.Equals(flowEvent.Symbol, symbol) && IsSameOrEnclosing(flowEvent.Function, function))
                {
                    last = flowEvent;
                }
            }

            return last is { IsAwait: true };
        }

        private static bool IsGuardedByIsCompleted(ISymbol symbol, IOperation access)
        {
            var child = access;
            for (var parent = access.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                if (parent is IConditionalOperation conditional && conditional.WhenTrue == child && ConditionChecksCompleted(conditional.Condition, symbol))
                {
                    return true;
                }

                if (parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and
                    && and.RightOperand == child
                    && ConditionChecksCompleted(and.LeftOperand, symbol))
                {
                    return true;
                }

                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return false;
                }
            }

            return false;
        }

        private static bool ConditionChecksCompleted(IOperation condition, ISymbol symbol)
        {
            condition = Unwrap(condition)!;
            if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and)
            {
                return ConditionChecksCompleted(and.LeftOperand, symbol) || ConditionChecksCompleted(and.RightOperand, symbol);
            }

            return condition is IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" } check
                && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(check.Instance), symbol);
        }

        private List<FlowEvent> CollectEvents()
        {
            var events = new List<FlowEvent>();
            foreach (var operation in block.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IAwaitOperation awaitOperation:
                        var awaited = UnwrapAwaitable(awaitOperation.Operation);
                        var end = awaitOperation.Syntax.Span.End;
                        var function = ContainingFunction(awaitOperation);
                        if (ReferencedSymbol(awaited) is { } symbol)
                        {
                            events.Add(new FlowEvent(symbol, end, true, function));
                        }
                        else if (awaited is IInvocationOperation { TargetMethod.Name: "WhenAll", TargetMethod.IsStatic: true } whenAll
                            && KnownSymbols.Is(whenAll.TargetMethod.ContainingType, known.Symbols.Task))
                        {
                            foreach (var element in WhenAllElements(whenAll))
                            {
                                if (ReferencedSymbol(element) is { } elementSymbol)
                                {
                                    events.Add(new FlowEvent(elementSymbol, end, true, function));
                                }
                            }
                        }

                        break;
                    case ISimpleAssignmentOperation assignment when ReferencedSymbol(assignment.Target) is { } target:
                        events.Add(new FlowEvent(target, assignment.Syntax.Span.End, false, ContainingFunction(assignment)));
                        break;
                }
            }

            events.Sort((a, b) => a.Position.CompareTo(b.Position));
            return events;
        }

        private static IEnumerable<IOperation> WhenAllElements(IInvocationOperation whenAll)
        {
            foreach (var argument in whenAll.Arguments)
            {
                var value = Unwrap(argument.Value);
                switch (value)
                {
                    case IArrayCreationOperation { Initializer: { } initializer }:
                        foreach (var element in initializer.ElementValues)
                        {
                            yield return element;
                        }

                        break;
                    case ICollectionExpressionOperation collection:
                        foreach (var element in collection.Elements)
                        {
                            yield return element;
                        }

                        break;
                    case not null:
                        yield return value;
                        break;
                }
            }
        }

        /// <summary>
        /// Whether an await comes after <paramref name="enter"/> and before the next <c>Exit</c> on the
        /// same type (or anywhere after it when there is none), in source order, in the same function.
        /// </summary>
        private bool IsFollowedByAwait(IInvocationOperation enter)
        {
            if (_awaits is null)
            {
                _awaits = [];
                foreach (var operation in block.DescendantsAndSelf())
                {
                    if (operation is IAwaitOperation
                        || operation is IUsingOperation { IsAsynchronous: true }
                        || operation is IForEachLoopOperation { IsAsynchronous: true }
                        || operation is IUsingDeclarationOperation { IsAsynchronous: true })
                    {
                        _awaits.Add((operation.Syntax.SpanStart, ContainingFunction(operation)));
                    }
                }
            }

            var function = ContainingFunction(enter);
            var start = enter.Syntax.Span.End;
            var end = int.MaxValue;
            foreach (var operation in block.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation { TargetMethod.Name: "Exit" } exit
                    && SymbolEqualityComparer.Default.Equals(exit.TargetMethod.ContainingType, enter.TargetMethod.ContainingType)
                    && exit.Syntax.SpanStart >= start
                    && exit.Syntax.SpanStart < end
                    && ContainingFunction(exit) == function)
                {
                    end = exit.Syntax.SpanStart;
                }
            }

            return _awaits.Any(a => a.Position >= start && a.Position < end && a.Function == function);
        }

        /// <summary>Inside a lambda given to Task.Run, TaskFactory.StartNew, ThreadPool.QueueUserWorkItem or new Thread.</summary>
        private bool IsOffloaded(IOperation operation)
        {
            for (var function = ContainingFunction(operation); function is not null; function = ContainingFunction(function))
            {
                if (function is not IAnonymousFunctionOperation)
                {
                    continue;
                }

                var parent = function.Parent;
                while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
                {
                    parent = parent.Parent;
                }

                if (parent is not IArgumentOperation argument)
                {
                    continue;
                }

                switch (argument.Parent)
                {
                    case IInvocationOperation invocation:
                        var target = invocation.TargetMethod;
                        if ((KnownSymbols.Is(target.ContainingType, known.Symbols.Task) && target.Name == "Run")
                            || ((KnownSymbols.Is(target.ContainingType, known.TaskFactory) || KnownSymbols.Is(target.ContainingType, known.TaskFactoryOfT)) && target.Name == "StartNew")
                            || (KnownSymbols.Is(target.ContainingType, known.ThreadPool) && target.Name.EndsWith("QueueUserWorkItem", StringComparison.Ordinal)))
                        {
                            return true;
                        }

                        break;
                    case IObjectCreationOperation creation when KnownSymbols.Is(creation.Type, known.Thread):
                        return true;
                }
            }

            return false;
        }

        private bool IsServiceInstanceContext(IOperation operation)
        {
            if (hook.IsStatic || !known.Symbols.IsService(hook.ContainingType))
            {
                return false;
            }

            for (var function = ContainingFunction(operation); function is not null; function = ContainingFunction(function))
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

        private static IOperation? ContainingFunction(IOperation operation)
        {
            for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return parent;
                }
            }

            return null;
        }

        private static bool IsSameOrEnclosing(IOperation? candidate, IOperation? function)
        {
            for (var current = function; ; current = ContainingFunction(current))
            {
                if (current == candidate)
                {
                    return true;
                }

                if (current is null)
                {
                    return false;
                }
            }
        }

        private static ISymbol? ReferencedSymbol(IOperation? operation) => Unwrap(operation) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field when field.Instance is null or IInstanceReferenceOperation => field.Field,
            IPropertyReferenceOperation property when property.Arguments.IsEmpty && property.Instance is null or IInstanceReferenceOperation => property.Property,
            _ => null,
        };

        /// <summary>Strips conversions, parentheses and <c>ConfigureAwait(...)</c>/<c>WaitAsync(...)</c>.</summary>
        private static IOperation? UnwrapAwaitable(IOperation? operation)
        {
            operation = Unwrap(operation);
            while (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "WaitAsync", Instance: { } instance })
            {
                operation = Unwrap(instance);
            }

            return operation;
        }

        private static IOperation? Unwrap(IOperation? operation)
        {
            while (operation is IConversionOperation or IParenthesizedOperation)
            {
                operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
            }

            return operation;
        }
    }
}
