import Foundation

/// Many requests evaluate with the current program at once; loading a new one waits for them
/// and holds them off, so no state is written by the old program after the new one was checked
/// against the stored states.
final class ProgramLock: @unchecked Sendable {
  private var lock = pthread_rwlock_t()

  init() { pthread_rwlock_init(&lock, nil) }
  deinit { pthread_rwlock_destroy(&lock) }

  func reading<T>(_ body: () throws -> T) rethrows -> T {
    pthread_rwlock_rdlock(&lock)
    defer { pthread_rwlock_unlock(&lock) }
    return try body()
  }

  func writing<T>(_ body: () throws -> T) rethrows -> T {
    pthread_rwlock_wrlock(&lock)
    defer { pthread_rwlock_unlock(&lock) }
    return try body()
  }
}
