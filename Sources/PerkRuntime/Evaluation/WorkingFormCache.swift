/// The working form (``WorkingState``) that an evaluation wrote an ``AccountState`` from, carried
/// by that state so that the next evaluation of it by the same program starts from the working
/// form instead of resolving every name again (issue 17: the till form, where `perk serve`,
/// `perk eval --stream` and the REPL hand each outcome's state straight back).
///
/// Not part of the state's value: two caches are always equal and hash nothing, and a state is
/// encoded without it (a decoded state has none). Every change to a field of the state drops it
/// (the fields' `didSet`), so a state carries one only while it is exactly the state the working
/// form was written as; resolving that state by name would give the same working values (the
/// account form, which keeps them between events, and the state form are held equal by the
/// differential tests). The box is immutable and its values are copied out, their arrays
/// copying themselves on their first change: evaluating one state twice gives the same answer
/// twice, from any thread.
struct WorkingFormCache: Hashable, Sendable {
  private final class Box: Sendable {
    /// ``Program/serial`` of the program whose indexes the values are in.
    let program: UInt64
    let working: WorkingState

    init(program: UInt64, working: WorkingState) {
      self.program = program
      self.working = working
    }
  }

  private let box: Box?

  /// No working form: the state is resolved by name.
  static let none = WorkingFormCache(box: nil)

  private init(box: Box?) { self.box = box }

  /// The working values `program` wrote the state from.
  init(_ working: WorkingState, program: Program) {
    box = Box(program: program.serial, working: working)
  }

  /// The working values, when `program` made them; nil when the state must be resolved by name.
  func working(for program: Program) -> WorkingState? {
    guard let box, box.program == program.serial else { return nil }
    return box.working
  }

  /// Whether there is a working form (for tests).
  var isEmpty: Bool { box == nil }

  static func == (_: WorkingFormCache, _: WorkingFormCache) -> Bool { true }
  func hash(into _: inout Hasher) {}
}
