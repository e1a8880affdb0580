// Forwards a rejected promise to Express's error handler (Express 4 does not do it alone).
module.exports = function asyncHandler(fn) {
  return (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);
};
