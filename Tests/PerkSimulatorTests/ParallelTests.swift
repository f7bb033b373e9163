import Synchronization
import Testing
@testable import PerkSimulator

/// `Parallel.run` runs every iteration once and, once it returns, holds nothing its body
/// captured: pass two's body captures a whole batch of rows, and a finished thread that kept
/// it held two batches at once while the next was loaded. The threads' teardown races with
/// the return, so the release is checked over many runs.
@Suite struct ParallelTests {
  final class Payload: Sendable {
    let iterations = Mutex<[Int]>([])
  }

  @Test(arguments: [1, 2, 3])
  func everyIterationRunsOnceAndTheBodyIsLetGo(threads: Int) {
    var kept = 0
    for _ in 0..<300 {
      weak var released: Payload?
      var ran: [Int] = []
      do {
        let payload = Payload()
        released = payload
        Parallel.run(iterations: 8, threads: threads) { [payload] i in payload.iterations.withLock { $0.append(i) } }
        ran = payload.iterations.withLock { $0 }.sorted()
      }
      #expect(ran == Array(0..<8))
      if released != nil { kept += 1 }
    }
    #expect(kept == 0)
  }
}
