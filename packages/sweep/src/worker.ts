// The body of a sweep worker thread: runs the scoreOne requests it is sent, one at
// a time. Loaded from dist/ (see scorePool.ts), so it runs the built package.
import { scoreOne, type ScoreReply, type ScoreRequest } from './scoreOne.js';
import { serveRequests } from './serveRequests.js';

serveRequests<ScoreRequest, ScoreReply>((request) => scoreOne(request));
