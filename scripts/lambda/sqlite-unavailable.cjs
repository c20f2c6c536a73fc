// Stands in for better-sqlite3 in the Lambda bundle: state on Lambda lives in DynamoDB (state.dynamodbTable).
module.exports = function Database() {
  throw new Error('SQLite state is not available on AWS Lambda: set state.dynamodbTable in the config');
};
