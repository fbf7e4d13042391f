import WeirCore
import WeirSyntax

/// Compiles rule files into a `RuleSetPlan`: resolves every name (see `Scope`), checks each
/// declaration (see `DeclarationChecker`) and builds the evaluators.
package enum RuleCompiler {
    /// Parses and checks every file (in order); the plan is nil when any error was found.
    /// Diagnostics of all files, in file then source order, warnings included. (Which file a
    /// diagnostic belongs to: `compileByFile`.)
    package static func compile(_ files: [SourceFile], options: RuleCompileOptions = RuleCompileOptions())
        -> (plan: RuleSetPlan?, diagnostics: [Diagnostic])
    {
        let result = compileByFile(files, options: options)
        return (result.plan, result.diagnostics.flatMap { $0 })
    }

    /// `compile`, with the diagnostics of each file apart (`diagnostics[i]` belongs to
    /// `files[i]`), as rendering them needs.
    package static func compileByFile(_ files: [SourceFile], options: RuleCompileOptions = RuleCompileOptions())
        -> (plan: RuleSetPlan?, diagnostics: [[Diagnostic]])
    {
        LargeStack.run {
            var parseOptions = ParseOptions.ruleFile
            parseOptions.maxDepth = options.maxDepth
            let parsed = files.map { RuleFileParser.parseHere($0, options: parseOptions) }
            return compileHere(parsed: parsed.map(\.file), parseDiagnostics: parsed.map(\.diagnostics), options: options)
        }
    }

    /// Checks parsed files (in order) and builds the plan; the plan is nil when any error was
    /// found, here or in `parseDiagnostics` (one list per file, as the parser reported them).
    /// Diagnostics are per file, in source order, warnings included.
    package static func compile(
        parsed files: [RuleFile], parseDiagnostics: [[Diagnostic]] = [], options: RuleCompileOptions = RuleCompileOptions()
    ) -> (plan: RuleSetPlan?, diagnostics: [[Diagnostic]]) {
        LargeStack.run { compileHere(parsed: files, parseDiagnostics: parseDiagnostics, options: options) }
    }

    static func compileHere(parsed files: [RuleFile], parseDiagnostics: [[Diagnostic]], options: RuleCompileOptions)
        -> (plan: RuleSetPlan?, diagnostics: [[Diagnostic]])
    {
        var perFile: [[Diagnostic]] = files.indices.map { $0 < parseDiagnostics.count ? parseDiagnostics[$0] : [] }
        var declarations: [DeclarationPlan] = []
        var firstByName: [String: (file: Int, range: SourceRange)] = [:]
        for (index, file) in files.enumerated() {
            for declaration in file.declarations {
                var compiler = DeclarationCompiler(source: file.source, options: options)
                let name = declaration.name
                if let first = firstByName[name.text] {
                    let at = files[first.file].source
                    let note: Diagnostic.Note = first.file == index
                        ? .init(CompilerMessages.firstDeclaredHere, range: first.range)
                        : .init(CompilerMessages.firstDeclaredHere + " (\(at.name):\(at.position(of: first.range.start)))")
                    compiler.diagnostics.append(.error(.declaration, CompilerMessages.duplicateDeclaration(name.text),
                                                       at: name.range, notes: [note]))
                } else {
                    firstByName[name.text] = (index, name.range)
                }
                let kind = compiler.compile(declaration)
                perFile[index] += compiler.diagnostics
                declarations.append(DeclarationPlan(
                    name: name.text, on: declaration.on, kind: kind, range: declaration.range, sourceIndex: index))
            }
        }
        perFile = perFile.map(Lowering.inSourceOrder)
        let failed = perFile.contains { $0.contains(where: \.isError) }
        return (failed ? nil : RuleSetPlan(sources: files.map(\.source), declarations: declarations), perFile)
    }
}

/// Compiles one declaration's clauses, collecting its diagnostics.
struct DeclarationCompiler {
    let source: SourceFile
    let options: CompileOptions
    var diagnostics: [Diagnostic] = []

    init(source: SourceFile, options: RuleCompileOptions) {
        self.source = source
        self.options = CompileOptions(dialect: .weir, regexLimits: options.regexLimits, maxDepth: options.maxDepth)
    }

    mutating func compile(_ declaration: Declaration) -> DeclarationPlan.Kind {
        switch declaration {
        case .rule(let d): return .rule(rule(d))
        case .aggregate(let d): return .aggregate(aggregate(d))
        case .pattern(let d): return .pattern(pattern(d))
        case .saga(let d): return .saga(saga(d))
        }
    }

    mutating func rule(_ d: RuleDeclaration) -> RulePlan {
        var lowering = Lowering(options: options, scope: .event, source: source)
        let filter = d.whereClause.map { condition($0, "WHERE", &lowering) }
        let emits = d.emits.map { emit($0, &lowering) }
        diagnostics += lowering.diagnostics
        return RulePlan(filter: filter, emits: emits, emitAll: d.emitAll)
    }

    mutating func aggregate(_ d: AggregateDeclaration) -> AggregatePlan {
        var perEvent = Lowering(options: options, scope: .event, source: source)
        let filter = d.whereClause.map { condition($0, "WHERE", &perEvent) }
        let groupBy = d.groupBy.map { program($0, "GROUP BY", &perEvent) }
        diagnostics += perEvent.diagnostics
        let window = self.window(d.window)
        var fire = Scope.fire
        fire.keyless = d.groupBy == nil
        var atFire = Lowering(options: options, scope: fire, source: source)
        let having = d.having.map { condition($0, "HAVING", &atFire) }
        let emit = self.emit(d.emit, &atFire)
        diagnostics += atFire.diagnostics
        let aggregates = atFire.aggregates.map { collected in
            AggregateCall(function: collected.function,
                          argument: collected.argument.map { finish($0, collected.text) })
        }
        return AggregatePlan(filter: filter, groupBy: groupBy, window: window, aggregates: aggregates,
                             having: having, emit: emit)
    }

    /// `slots`: a PATTERN's, which reads the run's slots.
    mutating func emit(_ e: EmitClause, _ lowering: inout Lowering, slots: Bool = false) -> EmitPlan {
        let when = e.when.map { condition($0, "WHEN", &lowering, slots: slots) }
        return EmitPlan(type: e.type, when: when, data: program(e.template, "EMIT", &lowering, slots: slots))
    }

    /// Lowers and folds one clause's expression.
    mutating func program(_ e: Expr, _ clause: String, _ lowering: inout Lowering, slots: Bool = false) -> Program {
        finish(lowering.lower(e), clause, slots: slots)
    }

    mutating func finish(_ node: Node, _ clause: String, slots: Bool = false) -> Program {
        var folding = ConstantFolding()
        let root = folding.fold(node)
        diagnostics += folding.diagnostics
        return Program(clause: clause, root: root, source: source, slots: slots)
    }

    /// A WHERE, WHEN or HAVING: refused when it can never be a Boolean.
    mutating func condition(_ e: Expr, _ clause: String, _ lowering: inout Lowering, slots: Bool = false) -> Program {
        let p = program(e, clause, &lowering, slots: slots)
        if let what = DeclarationChecker.nonBoolean(p.root) {
            diagnostics.append(.error(.declaration, CompilerMessages.neverBoolean(clause, what), at: e.range))
        }
        return p
    }

    mutating func window(_ w: WindowClause) -> AggregatePlan.Window {
        diagnostics += DeclarationChecker.check(w)
        switch w {
        case .tumbling(let size): return .tumbling(size: size.milliseconds)
        case .sliding(let size, let every): return .sliding(size: size.milliseconds, every: every.milliseconds)
        case .session(let gap): return .session(gap: gap.milliseconds)
        }
    }
}
