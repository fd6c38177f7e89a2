-- Today's work by room (issue 14 item 11): the exams a room acquired on a day, and the devices
-- their acquisition records name, without walking the room's whole history.
CREATE INDEX exams_room_acquired ON exams (room_id, acquired_at);
