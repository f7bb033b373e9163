import Foundation
import PerkSource

/// Reading the user's files, with `-` meaning standard input.
enum InputFiles {
  /// The bytes of `path`, or an error `path: cannot read file (reason)`.
  static func read(_ path: String, console: Console) throws -> Data {
    if path == "-" { return try console.readStandardInput() }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw UserInputError(description: "\(path): no such file")
    }
    guard !isDirectory.boolValue else { throw UserInputError(description: "\(path): is a directory, not a file") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw UserInputError(description: "\(path): cannot read file")
    }
    return data
  }

  /// Perk source files, numbered in the order given.
  static func sources(_ paths: [String], console: Console) throws -> [SourceFile] {
    var files: [SourceFile] = []
    for (id, path) in paths.enumerated() {
      let data = try read(path, console: console)
      files.append(SourceFile(id: id, path: path == "-" ? "<stdin>" : path, bytes: Array(data)))
    }
    return files
  }

  /// A JSON input file, syntax-checked so that mistakes are reported as `path:line:col: message`.
  static func json(_ path: String, console: Console) throws -> Data {
    let data = try read(path, console: console)
    if let failure = JSONSyntax.check(Array(data)) {
      let shown = path == "-" ? "<stdin>" : path
      throw UserInputError(description: "\(shown):\(failure.line):\(failure.column): \(failure.message)")
    }
    return data
  }
}
