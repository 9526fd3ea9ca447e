import { authenticateUser } from '../auth.js';
import { boardForUser } from '../access.js';
import type { AppRequest, AppResponse } from '../http.js';
import { json } from '../http.js';
import { newId } from '../ids.js';
import type { Services } from '../services.js';
import type { Board, State, Task } from '../state.js';
import { objectBody, stringField } from '../validate.js';

export const boardView = (b: Board) => ({
  id: b.id,
  organization_id: b.organizationId,
  gateway_id: b.gatewayId,
  name: b.name,
  board_type: b.board_type,
});
export const taskView = (t: Task) => ({
  id: t.id,
  board_id: t.boardId,
  title: t.title,
  status: t.status,
});

export const tasksOf = (state: State, boardId: string) =>
  [...state.tasks.values()].filter((t) => t.boardId === boardId).map(taskView);
export const memoryOf = (state: State, boardId: string) =>
  [...state.memory.values()]
    .filter((m) => m.boardId === boardId)
    .map((m) => ({
      id: m.id,
      board_id: m.boardId,
      content: m.content,
      source: m.source,
      created_at: m.created_at,
    }));

export function listOrganizations({ state }: Services, req: AppRequest): AppResponse {
  const user = authenticateUser(state, req);
  const ids = state.organizationIdsOf(user.id);
  return json(
    200,
    [...state.organizations.values()]
      .filter((o) => ids.has(o.id))
      .map((o) => ({ id: o.id, name: o.name, role: state.roleIn(user.id, o.id) })),
  );
}

export function listBoards({ state }: Services, req: AppRequest): AppResponse {
  const user = authenticateUser(state, req);
  const ids = state.organizationIdsOf(user.id);
  return json(
    200,
    [...state.boards.values()].filter((b) => ids.has(b.organizationId)).map(boardView),
  );
}

export function getBoard({ state }: Services, req: AppRequest): AppResponse {
  return json(
    200,
    boardView(boardForUser(state, authenticateUser(state, req), req.params.board_id)),
  );
}

export function listTasks({ state }: Services, req: AppRequest): AppResponse {
  const board = boardForUser(state, authenticateUser(state, req), req.params.board_id);
  return json(200, tasksOf(state, board.id));
}

export function createTask({ state }: Services, req: AppRequest): AppResponse {
  const board = boardForUser(state, authenticateUser(state, req), req.params.board_id);
  const body = objectBody(req.body);
  const title = stringField(body, 'title', { required: true, max: 500 }) ?? '';
  const task: Task = { id: newId(), boardId: board.id, title, status: 'inbox' };
  state.tasks.set(task.id, task);
  return json(201, taskView(task));
}

export function listMemory({ state }: Services, req: AppRequest): AppResponse {
  const board = boardForUser(state, authenticateUser(state, req), req.params.board_id);
  return json(200, memoryOf(state, board.id));
}
