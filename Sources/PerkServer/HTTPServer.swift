import Foundation

/// An HTTP/1.1 server on POSIX sockets: one thread per connection, persistent connections,
/// every request bounded by ``HTTPLimits``, and a drain on ``shutdown()``.
///
/// Threads rather than an async runtime: a handler blocks on the store's disk writes, and a
/// blocked thread of its own costs less here than a blocked executor.
public final class HTTPServer: @unchecked Sendable {
  /// Answers one request.
  public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse
  /// Told of every response, with the request when there was one and the time taken in nanoseconds.
  public typealias Observer = @Sendable (HTTPRequest?, HTTPResponse, UInt64) -> Void

  /// The port the server listens on (the chosen one when 0 was asked for).
  public let port: Int
  private let listener: Socket
  private let limits: HTTPLimits
  private let handler: Handler
  private let observer: Observer
  /// Written once by ``shutdown()``; every wait polls its reading end, so all wake at once.
  private let wakeRead: Int32
  private let wakeWrite: Int32
  private let state = NSCondition()
  private var connections = 0
  private var stopping = false

  /// Listens on `host:port`; nothing is accepted until ``run()``.
  public init(host: String, port: Int, limits: HTTPLimits = HTTPLimits(), handler: @escaping Handler,
              observer: @escaping Observer = { _, _, _ in }) throws(ServerError) {
    listener = try Socket.listen(host: host, port: port)
    self.port = listener.port
    self.limits = limits
    self.handler = handler
    self.observer = observer
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw ServerError.system("cannot make a pipe", errno) }
    wakeRead = ends[0]
    wakeWrite = ends[1]
  }

  /// Accepts connections until ``shutdown()``, then waits for the requests in flight to be answered.
  public func run() {
    while true {
      state.lock()
      while connections >= limits.maximumConnections && !stopping { state.wait() }
      let stop = stopping
      state.unlock()
      if stop { break }
      let (ready, woken) = Socket.wait(for: listener.descriptor, or: wakeRead, milliseconds: 1000)
      if woken { break }
      guard ready else { continue }
      let descriptor = accept(listener.descriptor, nil, nil)
      guard descriptor >= 0 else { continue }
      state.lock()
      connections += 1
      state.unlock()
      let thread = Thread { [self] in
        serve(Socket(descriptor: descriptor))
        state.lock()
        connections -= 1
        state.broadcast()
        state.unlock()
      }
      thread.stackSize = 1 << 20
      thread.start()
    }
    listener.close()
    state.lock()
    stopping = true
    while connections > 0 { state.wait() }
    state.unlock()
  }

  /// Stops accepting; ``run()`` returns once every request already being read or answered has
  /// been answered. Idle kept-alive connections are closed. Safe from any thread.
  public func shutdown() {
    state.lock()
    let first = !stopping
    stopping = true
    state.broadcast()
    state.unlock()
    if first {
      var byte: UInt8 = 1
      _ = write(wakeWrite, &byte, 1)
    }
  }

  private var isStopping: Bool {
    state.lock()
    defer { state.unlock() }
    return stopping
  }

  /// Serves one connection's requests in order until it closes, fails or times out.
  private func serve(_ socket: Socket) {
    defer { socket.close() }
    socket.setSendTimeout(milliseconds: limits.readTimeoutMilliseconds)
    socket.setNoDelay()
    var buffer: [UInt8] = []
    while true {
      let started = DispatchTime.now().uptimeNanoseconds
      switch readRequest(socket, buffer: &buffer) {
      case .closed:
        return
      case .failed(let failure):
        let response = failure.response
        _ = socket.send(response.serialized(keepAlive: false))
        observer(nil, response, DispatchTime.now().uptimeNanoseconds - started)
        return
      case .request(let request, let isHTTP10):
        let response = handler(request)
        let keepAlive = !request.wantsClose && !isHTTP10 && !isStopping
        let sent = socket.send(response.serialized(keepAlive: keepAlive))
        observer(request, response, DispatchTime.now().uptimeNanoseconds - started)
        if !sent || !keepAlive { return }
      }
    }
  }

  private enum ReadResult {
    case request(HTTPRequest, isHTTP10: Bool)
    case failed(HTTPFailure)
    case closed
  }

  /// Reads one request: the idle timeout until its first byte, then the read timeout for all of it.
  private func readRequest(_ socket: Socket, buffer: inout [UInt8]) -> ReadResult {
    var deadline: UInt64? = buffer.isEmpty ? nil : now() + UInt64(limits.readTimeoutMilliseconds) * 1_000_000
    let idleDeadline = now() + UInt64(limits.idleTimeoutMilliseconds) * 1_000_000
    var headEnd = HTTPParser.endOfHead(buffer)
    while headEnd == nil {
      if buffer.count > limits.maximumHeaderBytes {
        return .failed(HTTPFailure(status: 431, code: "headers_too_large",
                                   message: "the request line and headers exceed \(limits.maximumHeaderBytes) bytes"))
      }
      switch receive(socket, into: &buffer, deadline: deadline ?? idleDeadline, idle: deadline == nil) {
      case .data:
        if deadline == nil { deadline = now() + UInt64(limits.readTimeoutMilliseconds) * 1_000_000 }
      case .end, .woken: return .closed
      case .timeout:
        if deadline == nil { return .closed }
        return .failed(HTTPFailure(status: 408, code: "request_timeout",
                                   message: "the request did not arrive within \(limits.readTimeoutMilliseconds) ms"))
      }
      headEnd = HTTPParser.endOfHead(buffer)
    }
    guard let end = headEnd, end <= limits.maximumHeaderBytes + 4 else {
      return .failed(HTTPFailure(status: 431, code: "headers_too_large",
                                 message: "the request line and headers exceed \(limits.maximumHeaderBytes) bytes"))
    }
    let head: HTTPParser.Head
    let target: (path: String, query: [String: String])
    do throws(HTTPFailure) {
      head = try HTTPParser.head(buffer[0..<end], limits: limits)
      target = try HTTPParser.split(target: head.target)
    } catch {
      return .failed(error)
    }
    buffer.removeFirst(end)
    if head.expectsContinue && buffer.count < head.contentLength {
      _ = socket.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }
    while buffer.count < head.contentLength {
      switch receive(socket, into: &buffer, deadline: deadline!, idle: false) {
      case .data: continue
      case .end, .woken:
        return .failed(.malformed("the connection closed before the body's \(head.contentLength) bytes arrived"))
      case .timeout:
        return .failed(HTTPFailure(status: 408, code: "request_timeout",
                                   message: "the request did not arrive within \(limits.readTimeoutMilliseconds) ms"))
      }
    }
    let body = Array(buffer[0..<head.contentLength])
    buffer.removeFirst(head.contentLength)
    let request = HTTPRequest(method: head.method, path: target.path, query: target.query, headers: head.headers, body: body)
    return .request(request, isHTTP10: head.isHTTP10)
  }

  private enum Received { case data, end, timeout, woken }

  /// Waits for bytes until `deadline`; an idle wait also ends when the server stops.
  private func receive(_ socket: Socket, into buffer: inout [UInt8], deadline: UInt64, idle: Bool) -> Received {
    let current = now()
    guard current < deadline else { return .timeout }
    let (ready, woken) = Socket.wait(for: socket.descriptor, or: idle ? wakeRead : nil,
                                     milliseconds: Int((deadline - current) / 1_000_000) + 1)
    if woken && !ready { return .woken }
    guard ready else { return .timeout }
    guard let chunk = socket.receive(capacity: 64 * 1024) else { return .end }
    if chunk.isEmpty { return .end }
    buffer += chunk
    return .data
  }

  private func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
