import Foundation
import GmailAPI

// Pages, messages and their metadata, as Gmail's REST calls bring them.
extension MailService {
    /// The list call, then the metadata of its messages.
    func fetchPage(_ key: PageKey, lane: RequestLane) async throws(MailServiceError) -> MessagePage {
        let gmail = self.gmail
        let parameters = MessagesListParameters(q: key.query, maxResults: key.pageSize, pageToken: key.pageToken)
        let list = try await call(lane: lane) { token throws(GmailError) in try await gmail.messagesList(parameters, accessToken: token) }
        let ids = (list.messages ?? []).map(\.id)
        let messages = try await summaries(ids, lane: lane)
        let found = messages.compactMap { $0 }
        saveListed(key, ids: found.map(\.id), nextPageToken: list.nextPageToken,
                   estimate: list.resultSizeEstimate ?? found.count, summaries: found)
        return MessagePage(query: key.query, pageToken: key.pageToken, messages: messages.compactMap { $0.map(Self.summary) },
                           nextPageToken: list.nextPageToken, resultSizeEstimate: list.resultSizeEstimate ?? messages.count)
    }

    /// The stored message when `storeFirst` and it is stored; else Gmail's (then stored), or the stored
    /// one when Gmail cannot be reached.
    func fetchMessage(_ id: String, lane: RequestLane, storeFirst: Bool = true) async throws(MailServiceError) -> MessageDetail {
        if storeFirst, let stored = storedMessage(id: id) { return stored }
        do throws(MailServiceError) {
            let detail = try await fetchMessageFromGmail(id, lane: lane)
            saveMessage(detail)
            return detail
        } catch {
            if case .network = error, let stored = storedMessage(id: id) { return stored }
            throw error
        }
    }

    /// The whole message, with the bodies Gmail left behind an attachmentId that the reader needs.
    func fetchMessageFromGmail(_ id: String, lane: RequestLane) async throws(MailServiceError) -> MessageDetail {
        let gmail = self.gmail
        let message = try await call(lane: lane) { token throws(GmailError) in
            try await gmail.messagesGet(MessagesGetParameters(id: id, format: .full), accessToken: token)
        }
        return Self.detail(try await withReadableBodies(message, lane: lane))
    }

    /// A `format=full` message with the bodies Gmail left behind an attachmentId that the reader needs.
    func withReadableBodies(_ message: Message, lane: RequestLane) async throws(MailServiceError) -> Message {
        let gmail = self.gmail
        var message = message
        let id = message.id
        // Gmail keeps large text parts, and text files meant to be read inline, behind an attachmentId:
        // fetch those so the body is not lost (usually none, rarely more than one).
        if var payload = message.payload {
            for place in BodyFetch.readableBodiesElsewhere(in: payload) {
                let body = try await call(lane: lane) { token throws(GmailError) in
                    try await gmail.attachmentsGet(AttachmentsGetParameters(messageId: id, id: place.attachmentId), accessToken: token)
                }
                BodyFetch.fill(&payload, path: place.path, data: body.data)
            }
            message.payload = payload
        }
        return message
    }

    // MARK: - Metadata

    /// Metadata for each id, nil where the message is gone.
    func summaries(_ ids: [String], lane: RequestLane = .foreground) async throws(MailServiceError) -> [Message?] {
        switch fetchStrategy {
        case .parallel:
            return try await inOrder(count: ids.count) { index in await self.summaryResult(ids[index], lane: lane) }
        case .batch(let size):
            return try await summariesByBatch(ids, size: min(max(size, 1), GmailBatch.maxCallsPerBatch), lane: lane)
        }
    }

    /// One message's metadata: nil when it was deleted since the list.
    func summaryResult(_ id: String, lane: RequestLane = .foreground) async -> Result<Message?, MailServiceError> {
        let gmail = self.gmail
        do throws(MailServiceError) {
            return .success(try await call(lane: lane) { token throws(GmailError) in
                try await gmail.messagesGet(.summary(id: id), accessToken: token)
            })
        } catch .notFound {
            return .success(nil)
        } catch {
            return .failure(error)
        }
    }

    /// Batches of metadata GETs; parts that failed for any reason but 404 are fetched again one by one,
    /// which brings them the usual token and retry handling.
    func summariesByBatch(_ ids: [String], size: Int, lane: RequestLane = .foreground) async throws(MailServiceError) -> [Message?] {
        let gmail = self.gmail
        var results: [Message?] = []
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + size, ids.count)])
            start += chunk.count
            // Gmail counts each part of a batch as one request in flight.
            let parts = try await call(lane: lane, weight: chunk.count) { token throws(GmailError) in
                try await gmail.messagesGetBatch(chunk.map(MessagesGetParameters.summary), accessToken: token)
            }
            for (id, part) in zip(chunk, parts) {
                switch part {
                case .success(let message): results.append(message)
                case .failure(.notFound): results.append(nil)
                case .failure: results.append(try await summaryResult(id, lane: lane).get())
                }
            }
        }
        return results
    }

    /// Runs `work` for indexes `0..<count` with at most `inFlightLimit` running, results in index order.
    /// The first failure stops new work and is thrown once the running work has finished.
    func inOrder<T: Sendable>(count: Int, _ work: @escaping @Sendable (Int) async -> Result<T, MailServiceError>) async throws(MailServiceError) -> [T] {
        var results = [T?](repeating: nil, count: count)
        var failure: MailServiceError?
        await withTaskGroup(of: (Int, Result<T, MailServiceError>).self) { group in
            var next = 0
            var running = 0
            while (next < count && failure == nil) || running > 0 {
                while next < count, failure == nil, running < max(1, inFlightLimit) {
                    let index = next
                    group.addTask { (index, await work(index)) }
                    next += 1
                    running += 1
                }
                guard let finished = await group.next() else { break }
                let (index, result) = finished
                running -= 1
                switch result {
                case .success(let value): results[index] = value
                case .failure(let error):
                    if failure == nil { failure = error; group.cancelAll() }
                }
            }
        }
        if let failure { throw failure }
        return results.compactMap { $0 }
    }
}
