import Foundation
import PerkTestSupport
import Testing

/// The HTTP layer's bounds, against a live server: each refusal is a JSON error with its status.
@Suite(.serialized) struct HTTPBoundsTests {
  @Test func aHugeBodyIs413BeforeItIsRead() throws {
    let server = try LiveServer(["rules/cafe.perk", "--max-body", "1000"])
    let client = try RawClient(port: server.port)
    client.send(Array("POST /v1/events HTTP/1.1\r\nContent-Length: 5000000\r\n\r\n".utf8))
    let (status, body) = try RawClient.parse(client.readToEnd())
    #expect(status == 413)
    #expect(errorCode(body) == "body_too_large")
    #expect(body.contains("\"message\": \"the body is 5000000 bytes; at most 1000 are accepted\""))
  }

  @Test func tooManyHeadersAre431() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    var head = "GET /healthz HTTP/1.1\r\n"
    for index in 0..<65 { head += "X-Field-\(index): \(index)\r\n" }
    let (status, body) = try RawClient.parse(try RawClient(port: server.port).exchange(Array((head + "\r\n").utf8)))
    #expect(status == 431)
    #expect(errorCode(body) == "too_many_headers")
  }

  @Test func anEndlessHeadIs431() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    let head = "GET /healthz HTTP/1.1\r\nX-Long: " + String(repeating: "a", count: 20_000) + "\r\n\r\n"
    let (status, body) = try RawClient.parse(try RawClient(port: server.port).exchange(Array(head.utf8)))
    #expect(status == 431)
    #expect(errorCode(body) == "headers_too_large")
  }

  @Test func malformedRequestsAre400() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    for bad in ["HELLO\r\n\r\n", "GET /healthz\r\n\r\n", "GET /healthz HTTP/1.1\r\nNoColon\r\n\r\n",
                "POST /v1/events HTTP/1.1\r\nContent-Length: ten\r\n\r\n", "GET healthz HTTP/1.1\r\n\r\n"] {
      let (status, body) = try RawClient.parse(try RawClient(port: server.port).exchange(Array(bad.utf8)))
      #expect(status == 400, "\(bad)")
      #expect(errorCode(body) == "malformed_request", "\(bad)")
    }
    let chunked = "POST /v1/events HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    let (status, body) = try RawClient.parse(try RawClient(port: server.port).exchange(Array(chunked.utf8)))
    #expect(status == 501)
    #expect(errorCode(body) == "unsupported_transfer_encoding")
    // The server is still there.
    #expect(try server.request("GET", "/healthz").status == 200)
  }

  @Test func aSlowClientIsCutOffWith408() throws {
    let server = try LiveServer(["rules/cafe.perk", "--read-timeout", "300"])
    let client = try RawClient(port: server.port)
    let started = Date()
    client.send(Array("POST /v1/events HTTP/1.1\r\nContent-Len".utf8))
    let (status, body) = try RawClient.parse(client.readToEnd())
    #expect(status == 408)
    #expect(errorCode(body) == "request_timeout")
    #expect(Date().timeIntervalSince(started) < 5)
    // A body that stops halfway is cut off the same way.
    let half = try RawClient(port: server.port)
    half.send(Array("POST /v1/events HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"cust".utf8))
    #expect(try RawClient.parse(half.readToEnd()).status == 408)
  }

  @Test func aKeptAliveConnectionServesRequestsInOrder() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    let client = try RawClient(port: server.port)
    client.send(Array("GET /healthz HTTP/1.1\r\n\r\nGET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n".utf8))
    let text = String(decoding: client.readToEnd(), as: UTF8.self)
    #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
    #expect(text.contains("Connection: keep-alive"))
  }

  @Test func sigtermDrainsAndExitsZero() throws {
    let server = try LiveServer(["rules/cafe.perk"])
    // A request whose body is still arriving when SIGTERM comes is answered, then the server exits.
    let body = purchase("c-1", id: "t-1")
    let client = try RawClient(port: server.port)
    client.send(Array("POST /v1/events HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n".utf8))
    Thread.sleep(forTimeInterval: 0.2)
    kill(server.process.processIdentifier, SIGTERM)
    Thread.sleep(forTimeInterval: 0.2)
    client.send(Array(body.utf8))
    let (status, reply) = try RawClient.parse(client.readToEnd())
    #expect(status == 200)
    #expect(reply.contains("\"txn\": \"t-1\""))
    #expect(server.waitForExit() == 0)
    #expect(server.errorOutput().contains("{\"message\":\"stopped\""))
  }
}
