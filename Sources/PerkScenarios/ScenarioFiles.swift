import Foundation
import PerkCompiler
import PerkRuntime
import PerkSource

/// Running the tests of `.perk` files: the entry points `perk test` uses.
package enum ScenarioFiles {
  /// Compiles one file (one program with its tests) and runs every test in it, each in a fresh world.
  ///
  /// A file with errors runs no test; its diagnostics say why. Deterministic: the same file
  /// always gives the same result.
  /// With `filter`, only tests whose name contains it (ignoring letter case) run.
  package static func run(_ file: SourceFile, filter: String? = nil) -> FileTestResult {
    let source = SourceFile(id: 0, path: file.path, bytes: file.bytes)
    var diagnostics = Diagnostics()
    let checked = checkSources([source], diagnostics: &diagnostics)
    let sorted = diagnostics.sorted()
    guard !diagnostics.hasErrors else { return FileTestResult(file: source, diagnostics: sorted, results: []) }
    guard let program = buildProgram(checked, files: [source]) else {
      // The checker refuses what lowering cannot build; say so rather than trap.
      let internalError = Diagnostic(.missingProgram, "the program could not be built", at: SourceRange(file: 0, start: 0, end: 0))
      return FileTestResult(file: source, diagnostics: sorted + [internalError], results: [])
    }
    let runner = ScenarioRunner(program: program, file: source)
    let selected = checked.scenarios.filter { scenario in
      filter.map { scenario.name.lowercased().contains($0.lowercased()) } ?? true
    }
    return FileTestResult(file: source, diagnostics: sorted, results: selected.map { runner.run($0) },
                          targets: CoverageTargets(program))
  }

  /// The `.perk` files a path names: the file itself, or every `.perk` file under a directory,
  /// sorted by path so output is the same on every machine.
  package static func paths(under path: String) throws -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ScenarioPathError(description: "\(path): no such file or directory")
    }
    guard isDirectory.boolValue else { return [path] }
    guard let enumerator = FileManager.default.enumerator(atPath: path) else {
      throw ScenarioPathError(description: "\(path): cannot read directory")
    }
    var found: [String] = []
    while let relative = enumerator.nextObject() as? String {
      guard relative.hasSuffix(".perk") else { continue }
      let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { found.append(full) }
    }
    return found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }
}

/// A path `perk test` cannot use.
package struct ScenarioPathError: Error, CustomStringConvertible {
  package var description: String
}
